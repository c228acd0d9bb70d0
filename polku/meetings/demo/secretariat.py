"""A year of the National Anti-Trafficking Secretariat's meetings."""

from datetime import time

from polku.meetings.choices import (
    ActionStatus,
    MinutesAudience,
    MinutesStatus,
)
from polku.meetings.demo.plans import (
    ASSISTANCE_ENDS,
    ASSISTANCE_FIGURES,
    GRETA_TABLE,
    LABOUR_FINDINGS,
    POLICE_EXPERTISE,
    REFERRAL_EVIDENCE,
    SECRETARIAT,
    SHELTER_FOR_MEN,
    TRIAL_DELAYS,
    Action,
    Comment,
    DemoMeeting,
    Item,
    Note,
    Paper,
    Revision,
)

SECRETARIAT_MEETINGS = (
    DemoMeeting(
        SECRETARIAT,
        -48,
        "Work plan for the year",
        (
            Item(
                "Work plan of the secretariat for the year",
                "The secretary presented the draft work plan: the national action plan at every "
                "meeting, the report to GRETA, practitioners' challenges as a standing item and "
                "two hearings of civil society.",
                decision="The secretariat adopted its work plan for the year.",
                actions=(
                    Action(
                        "Send the work plan to the ministries' focal points",
                        "t.hakala",
                        14,
                        notes=(Note(6, "Sent to all focal points.", ActionStatus.DONE),),
                    ),
                ),
            ),
            Item(
                "National Action Plan against Trafficking in Human Beings: who leads each measure",
                "The coordinator went through the 42 measures of the action plan. Lead ministries "
                "were confirmed for all but three measures, which concern training in the "
                "education sector and housing for victims.",
                decision=(
                    "The lead ministries are recorded in the action plan's follow-up table. The "
                    "Ministry of Education and Culture and the Ministry of Social Affairs and "
                    "Health confirm the three remaining leads by the next meeting."
                ),
                actions=(
                    Action(
                        "Confirm the lead for the two training measures",
                        "m.aaltonen",
                        28,
                        notes=(
                            Note(
                                20,
                                "The Finnish National Agency for Education leads both measures; "
                                "the Ministry follows them up.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                    Action(
                        "Confirm the lead for the measure on housing for victims",
                        "secretariat2",
                        28,
                        deputy="j.rantanen",
                        notes=(
                            Note(
                                27,
                                "Lead confirmed: the wellbeing services counties, coordinated by "
                                "the Ministry of Social Affairs and Health.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                duration=40,
            ),
            Item(
                "Practitioners' challenges: how the secretariat answers them",
                "The coordinator showed how challenges raised by practitioners reach the "
                "secretariat, the response times it has committed to (acknowledgement within "
                "five working days, an answer within thirty) and how challenges are put on "
                "agendas.",
                decision=(
                    "Each focal point triages the challenges concerning their ministry's sector; "
                    "the coordinator assigns the rest."
                ),
            ),
        ),
    ),
    DemoMeeting(
        SECRETARIAT,
        -43,
        "GRETA's recommendations",
        (
            Item(
                "GRETA's third evaluation round: follow-up of the recommendations",
                "GRETA's report on Finland contains 28 recommendations, nine of them in the "
                "strongest terms. The secretariat went through the follow-up table. Progress is "
                "clearest on identification and weakest on compensation for victims and on "
                "convictions for trafficking for forced labour.",
                description="The follow-up table is attached. Each ministry checks its rows.",
                decision=(
                    "Each ministry updates its rows of the follow-up table two weeks before every "
                    "secretariat meeting. The table is a standing item."
                ),
                actions=(
                    Action(
                        "Update the rows on access to justice and compensation",
                        "secretariat",
                        21,
                        deputy="p.ahonen",
                        notes=(
                            Note(
                                10,
                                "Compensation rows updated; the State Treasury's figures are "
                                "still missing.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(19, "State Treasury's figures added.", ActionStatus.DONE),
                        ),
                    ),
                ),
                duration=45,
            ),
            Item(
                "Statistics: the annual return to Eurostat",
                "The National Police Board and the assistance system compile the figures on "
                "registered victims and suspects. Victims by form of exploitation and "
                "citizenship cannot yet be combined without counting some people twice.",
                actions=(
                    Action(
                        "Ask the National Police Board and the assistance system for a joint "
                        "note on their figures",
                        "t.hakala",
                        30,
                        notes=(
                            Note(
                                29,
                                "Joint note received and filed for the next return.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        papers=(
            Paper("Follow-up table of GRETA's recommendations", "greta-follow-up.csv", GRETA_TABLE),
        ),
    ),
    DemoMeeting(
        SECRETARIAT,
        -39,
        "EU Directive and training of the police",
        (
            Item(
                "Transposition of the amended EU Anti-Trafficking Directive (2024/1712)",
                "The Ministry of Justice presented the changes: forced marriage, illegal "
                "adoption and the exploitation of surrogacy become forms of trafficking, "
                "knowingly using the services of a victim must become an offence, and national "
                "coordinators and referral mechanisms become obligations.",
                decision=(
                    "The secretariat supports a transposition working group at the Ministry of "
                    "Justice; members of the secretariat sit in it for their ministries."
                ),
                actions=(
                    Action(
                        "Set up the transposition working group and send its terms of reference "
                        "to the secretariat",
                        "p.ahonen",
                        30,
                        deputy="secretariat",
                        notes=(
                            Note(
                                14,
                                "Terms of reference in internal consultation.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(
                                35,
                                "Working group appointed; terms of reference sent.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                duration=40,
            ),
            Item(
                "Training of police: a national plan for investigators",
                "The National Police Board plans basic training on trafficking for all "
                "investigators of serious crime and a specialised course for at least one "
                "investigator in each police department within the year.",
                decision=(
                    "The secretariat asks the National Police Board to present the training plan "
                    "at a later meeting."
                ),
                actions=(
                    Action(
                        "Invite the National Police Board to present the training plan",
                        "t.hakala",
                        60,
                        notes=(Note(45, "Presentation agreed.", ActionStatus.DONE),),
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        SECRETARIAT,
        -35,
        "Berry picking and referral to assistance",
        (
            Item(
                "Labour exploitation in seasonal berry picking: lessons from the last season",
                "Labour inspectors visited 64 picking sites. Recruitment fees, unlawful "
                "deductions for housing and cars and pickers' debts to recruiters were the "
                "most common findings. Two cases were passed to the police as suspected "
                "trafficking for forced labour.",
                decision=(
                    "The Ministry of Economic Affairs and Employment prepares changes to the "
                    "guidance for companies that buy wild berries, with the working group on "
                    "labour exploitation."
                ),
                actions=(
                    Action(
                        "Prepare changes to the guidance on wild berry picking",
                        "k.salonen",
                        90,
                        deputy="s.lehto",
                        notes=(
                            Note(
                                30,
                                "Draft discussed in the working group on labour exploitation.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(85, "Changes sent out for comments.", ActionStatus.DONE),
                        ),
                    ),
                ),
                duration=40,
            ),
            Item(
                "Referral to the assistance system: updating the guideline for authorities",
                "The assistance system reported that a third of referrals come from NGOs and "
                "only a few from municipal social services. The guideline for authorities dates "
                "from 2019 and does not say clearly that a crime report is not needed.",
                decision=(
                    "The secretariat updates the guideline with the assistance system; the draft "
                    "goes to consultation with practitioners in Polku."
                ),
                actions=(
                    Action(
                        "Draft the updated referral guideline with the assistance system",
                        "coordinator",
                        120,
                        deputy="t.hakala",
                        notes=(
                            Note(
                                40,
                                "First draft ready; comments from the police awaited.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(110, "Draft put out for consultation.", ActionStatus.DONE),
                        ),
                    ),
                ),
            ),
        ),
        where="room",
    ),
    DemoMeeting(
        SECRETARIAT,
        -30,
        "Budget and international reporting",
        (
            Item(
                "State budget proposal: funding of the assistance system",
                "The number of clients in the assistance system has grown every year, but the "
                "budget proposal keeps its appropriation at last year's level. The Ministry of "
                "the Interior will raise the matter in the discussions on spending limits.",
                decision=(
                    "The secretariat notes the gap in funding and asks the coordinator to brief "
                    "the Ministerial Working Group on Internal Security."
                ),
                actions=(
                    Action(
                        "Brief the ministerial working group on the assistance system's funding",
                        "coordinator",
                        45,
                        deputy="t.hakala",
                        notes=(
                            Note(
                                40,
                                "Briefing given; the ministerial working group asked for a "
                                "costed proposal.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                duration=30,
            ),
            Item(
                "Reporting on SDG indicator 16.2.2",
                "Statistics Finland asked which figure to report as detected victims per "
                "100 000 inhabitants.",
                decision=(
                    "Finland reports the assistance system's clients identified during the year, "
                    "with a note on how they differ from the police's figures."
                ),
            ),
        ),
        where="online",
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        SECRETARIAT,
        -26,
        "Report to the Committee of the Parties",
        (
            Item(
                "Report to the Committee of the Parties on GRETA's recommendations",
                "The Committee of the Parties asked Finland to report on the measures taken on "
                "the recommendations marked as urgent. The secretariat agreed the outline of the "
                "report and who writes each part.",
                decision=(
                    "The coordinator drafts the report from the ministries' contributions, which "
                    "are due six weeks before the deadline."
                ),
                actions=(
                    Action(
                        "Contribution on access to justice and compensation",
                        "secretariat",
                        35,
                        deputy="p.ahonen",
                        notes=(Note(30, "Contribution sent.", ActionStatus.DONE),),
                    ),
                    Action(
                        "Contribution on assistance and identification",
                        "secretariat2",
                        35,
                        deputy="j.rantanen",
                        notes=(
                            Note(
                                20,
                                "Figures requested from the assistance system.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(
                                40,
                                "Contribution sent, a week late because of the figures.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                    Action(
                        "Contribution on cooperation with countries of origin",
                        "h.lindqvist",
                        35,
                        notes=(Note(33, "Contribution sent.", ActionStatus.DONE),),
                    ),
                ),
                duration=45,
            ),
            Item(
                "Forced marriage: material for schools",
                "The Ministry of Education and Culture proposed material for teachers and school "
                "counsellors on the signs of forced marriage.",
                decision="The secretariat supports the material as part of the action plan's "
                "training measure.",
                actions=(
                    Action(
                        "Publish the material for schools",
                        "m.aaltonen",
                        120,
                        notes=(
                            Note(
                                50,
                                "Material being translated into Swedish.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(
                                140,
                                "Published in Finnish and Swedish.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                proposer="m.aaltonen",
            ),
        ),
    ),
    DemoMeeting(
        SECRETARIAT,
        -22,
        "Hearing of civil society",
        (
            Item(
                "How victims experience the assistance system",
                "Participants from civil society described victims who wait weeks for a "
                "decision on admission to the assistance system and who do not understand why "
                "their admission ended. Several said that victims who do not want to report to "
                "the police feel pushed to do so. Participants from the authorities said that "
                "the law does not require a report and that practice must be made consistent.",
                decision=(
                    "The secretariat takes the experiences heard into account in the referral "
                    "guideline and asks the assistance system to explain its decisions in plain "
                    "language."
                ),
                actions=(
                    Action(
                        "Send the summary of the hearing to the assistance system",
                        "t.hakala",
                        14,
                        notes=(Note(7, "Summary sent.", ActionStatus.DONE),),
                    ),
                ),
                duration=60,
            ),
            Item(
                "Research on labour exploitation in the cleaning sector",
                "A researcher presented interviews with 40 cleaners: long chains of "
                "subcontractors, wages below the collective agreement and passports held by "
                "employers. Participants discussed how inspectors and NGOs could reach workers "
                "who are afraid of losing their residence permit.",
                duration=30,
            ),
            Item(
                "Proposals from civil society for the action plan",
                "Participants proposed low-threshold legal advice for victims, a longer "
                "recovery and reflection period, and shelter places for men.",
                decision="The proposals are recorded for the mid-term review of the action plan.",
            ),
        ),
        where="room",
        location="Säätytalo (House of the Estates), Snellmaninkatu 9-11, Helsinki",
        chatham_house=True,
        audience=MinutesAudience.BODY,
        guests=("k.forsman", "l.hamid", "o.vainio", "m.huttunen"),
    ),
    DemoMeeting(
        SECRETARIAT,
        -17,
        "Mid-term review of the action plan",
        (
            Item(
                "Mid-term review of the National Action Plan against Trafficking in Human Beings",
                "Of the 42 measures, 17 are completed, 19 under way and 6 not started. The "
                "measures not started concern compensation, housing of victims and the "
                "evaluation of the law on the assistance system.",
                decision=(
                    "The secretariat approved the mid-term review for publication. The six "
                    "measures not started are brought to the Ministerial Working Group on "
                    "Internal Security with proposals."
                ),
                actions=(
                    Action(
                        "Present the mid-term review to the ministerial working group",
                        "coordinator",
                        30,
                        deputy="t.hakala",
                        notes=(Note(21, "Presented.", ActionStatus.DONE),),
                    ),
                    Action(
                        "Publish the mid-term review on the Ministry of the Interior's website",
                        "t.hakala",
                        10,
                        notes=(Note(6, "Published.", ActionStatus.DONE),),
                    ),
                ),
                duration=60,
            ),
            Item(
                "Proposals heard from civil society",
                "The proposals heard at the hearing of civil society were compared with the "
                "action plan. Shelter places for men and legal advice are covered by no measure.",
                decision="Both are added to the new measures proposed in the mid-term review.",
            ),
        ),
        audience=MinutesAudience.PUBLIC,
    ),
    DemoMeeting(
        SECRETARIAT,
        -13,
        "Transposition and statistics",
        (
            Item(
                "EU Directive transposition: the draft government proposal",
                "The transposition working group's draft proposes a new offence of knowingly "
                "using the services of a victim of trafficking and adds forced marriage, illegal "
                "adoption and the exploitation of surrogacy to the definition of trafficking. "
                "The draft goes to public consultation.",
                decision=(
                    "The secretariat gives one joint statement in the consultation, in addition "
                    "to the ministries' own."
                ),
                actions=(
                    Action(
                        "Coordinate the secretariat's joint statement on the draft government "
                        "proposal",
                        "p.ahonen",
                        40,
                        deputy="secretariat",
                        notes=(
                            Note(
                                15,
                                "Contributions from four ministries received.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(41, "Joint statement sent, a day late.", ActionStatus.DONE),
                        ),
                    ),
                ),
                duration=40,
            ),
            Item(
                "Statistics: counting victims without counting anyone twice",
                "A study by the European Institute for Crime Prevention and Control shows that "
                "the police, the assistance system and NGOs count victims in different ways. "
                "The secretariat discussed linking records without personal data.",
                decision=(
                    "A proposal for linking de-identified records is prepared for the next "
                    "annual report."
                ),
                actions=(
                    Action(
                        "Prepare a proposal for linking de-identified records",
                        "secretariat2",
                        75,
                        deputy="j.rantanen",
                        notes=(
                            Note(
                                30,
                                "Legal assessment requested from the data protection officer.",
                                ActionStatus.IN_PROGRESS,
                            ),
                        ),
                    ),
                ),
            ),
            Item(
                "Training of police: the National Police Board's plan",
                "The National Police Board presented its plan: an online course for all "
                "investigators and a five-day course for one investigator in each department.",
                decision="The secretariat welcomes the plan and follows its progress.",
                actions=(
                    Action(
                        "Ask the National Police Board how many investigators have been trained",
                        "t.hakala",
                        90,
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        SECRETARIAT,
        -9,
        "Labour inspection findings and GRETA follow-up",
        (
            Item(
                "Labour inspectors' findings reach the police too late (challenge)",
                "The challenge describes findings of forced labour that reach the police only "
                "after weeks, when the workers have been moved and the evidence is gone. The "
                "Ministry of Economic Affairs and Employment and the Ministry of the Interior "
                "agreed that each police department needs a named contact point who answers "
                "inspectors within one working day.",
                description=(
                    "A challenge raised by a labour inspector and endorsed by the police, a "
                    "prosecutor, an NGO and the Border Guard."
                ),
                decision=(
                    "The secretariat asks the National Police Board to name a contact point for "
                    "labour exploitation in every police department, and the occupational safety "
                    "and health authorities to send their findings through the secure channel on "
                    "the day of the inspection. A guideline for inspectors and the police is "
                    "drafted with the working group on labour exploitation."
                ),
                actions=(
                    Action(
                        "Agree the same-day procedure with the National Police Board and the "
                        "occupational safety and health authorities",
                        "k.salonen",
                        45,
                        deputy="s.lehto",
                        notes=(
                            Note(
                                20,
                                "Contact points named in 9 of 11 police departments.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(
                                50,
                                "Every department has a contact point; the procedure is in use.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                challenge=LABOUR_FINDINGS,
                duration=40,
            ),
            Item(
                "Follow-up of GRETA's recommendations",
                "Progress on 14 recommendations. The Ministry of Justice reported that the "
                "review of the compensation scheme has been postponed.",
                actions=(
                    Action(
                        "Report on the new schedule of the review of the compensation scheme",
                        "secretariat",
                        30,
                        deputy="p.ahonen",
                        notes=(
                            Note(
                                28,
                                "The review is expected to start next year; no schedule yet.",
                            ),
                        ),
                    ),
                ),
            ),
            Item(
                "Annual report to the Government: outline",
                "The coordinator presented the outline.",
                decision="The outline is approved. The lead ministries write its chapters.",
                actions=(
                    Action(
                        "Write the annual report's chapter on practitioners' challenges and what "
                        "came of them",
                        "coordinator",
                        60,
                        notes=(Note(30, "First draft written.", ActionStatus.IN_PROGRESS),),
                    ),
                ),
            ),
        ),
        comments=(
            Comment(
                5,
                "k.salonen",
                "Item 3: please record that the occupational safety and health authorities "
                "send the findings, not the Ministry.",
            ),
            Comment(
                6,
                "secretariat",
                "Item 4: the review of the compensation scheme was postponed, not cancelled. "
                "Please say when the Ministry of Justice will report.",
            ),
        ),
        revisions=(
            Revision(
                2,
                "coordinator",
                "Corrections from the chair",
                (
                    (
                        "agreed that each police department needs",
                        "agreed that every police department needs",
                    ),
                    (
                        "The coordinator presented the outline.",
                        "The coordinator presented the outline of the annual report: the "
                        "situation in Finland, the work of the secretariat, practitioners' "
                        "challenges and what came of them, and the follow-up of international "
                        "recommendations.",
                    ),
                ),
                at=time(16, 30),
            ),
            Revision(
                9,
                "t.hakala",
                "Comments from the focal points included",
                (
                    (
                        "The Ministry of Economic Affairs and Employment and the Ministry of the "
                        "Interior agreed",
                        "The occupational safety and health authorities, the Ministry of "
                        "Economic Affairs and Employment and the Ministry of the Interior agreed",
                    ),
                    (
                        "review of the compensation scheme has been postponed.",
                        "review of the compensation scheme has been postponed, not cancelled; "
                        "the Ministry of Justice reports its new schedule to the secretariat.",
                    ),
                ),
            ),
            Revision(
                11,
                "t.hakala",
                "Figure on GRETA's recommendations corrected",
                (
                    (
                        "Progress on 14 recommendations.",
                        "Progress on 15 recommendations; the Ministry for Foreign Affairs "
                        "reported one more as completed.",
                    ),
                ),
            ),
        ),
        approve_day=13,
    ),
    DemoMeeting(
        SECRETARIAT,
        -4,
        "Police expertise and the Directive",
        (
            Item(
                "Police departments lack investigators who know trafficking (challenge)",
                "The challenge, endorsed by a prosecutor, a labour inspector and the Border "
                "Guard, says that in small police departments suspected trafficking goes to "
                "investigators with no experience of it, and cases are recorded as extortionate "
                "work discrimination instead. The National Police Board said that its training "
                "plan now reaches every department.",
                description=(
                    "A challenge raised by a detective sergeant. The National Police Board "
                    "comments on it."
                ),
                decision=(
                    "The secretariat asks the National Police Board to name at least one "
                    "investigator trained in trafficking in every police department, to give "
                    "them the specialised course first, and to set up a national network of "
                    "these investigators that any department can consult. The secretariat "
                    "follows this up in three months."
                ),
                actions=(
                    Action(
                        "Follow up the named investigators with the National Police Board",
                        "t.hakala",
                        80,
                        deputy="coordinator",
                        notes=(
                            Note(
                                20,
                                "Seven departments have named their investigator.",
                                ActionStatus.IN_PROGRESS,
                            ),
                        ),
                    ),
                ),
                challenge=POLICE_EXPERTISE,
                duration=40,
            ),
            Item(
                "EU Directive transposition: after the consultation",
                "The consultation received 46 statements. Most supported the new offence; "
                "several asked for the principle that victims are not punished for crimes they "
                "were forced to commit to be written into the law.",
                decision=(
                    "The secretariat asks the transposition working group to write the "
                    "non-punishment principle into the proposal explicitly."
                ),
                actions=(
                    Action(
                        "Bring the secretariat's view on non-punishment to the transposition "
                        "working group",
                        "p.ahonen",
                        21,
                        deputy="secretariat",
                        notes=(
                            Note(
                                10,
                                "Presented; the working group will add a provision.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
            Item(
                "Annual report: the first chapters",
                "Chapters have come from four ministries; the rest are due by the next meeting.",
                proposer="h.lindqvist",
                duration=15,
            ),
        ),
    ),
    DemoMeeting(
        SECRETARIAT,
        0,
        "Delays in trials and the annual report",
        (
            Item(
                "Victims withdraw before trial because proceedings take years (challenge)",
                "The challenge, raised by a district prosecutor, shows that cases of trafficking "
                "for forced labour take two to four years to reach court, and that victims have "
                "often left Finland by then. The Ministry of Justice described recording the "
                "victim's testimony on video during the pre-trial investigation so that it can "
                "be used in court.",
                decision=(
                    "The secretariat proposes that the Ministry of Justice give trafficking cases "
                    "priority in the courts' case management and extend video-recorded testimony "
                    "in the pre-trial investigation to adult victims of trafficking. The proposal "
                    "goes to the transposition working group."
                ),
                actions=(
                    Action(
                        "Take the proposal on video-recorded testimony to the transposition "
                        "working group",
                        "secretariat",
                        30,
                        deputy="p.ahonen",
                    ),
                ),
                challenge=TRIAL_DELAYS,
                duration=40,
            ),
            Item(
                "Annual report to the Government: the draft",
                "The draft was discussed chapter by chapter. The chapter on practitioners' "
                "challenges lists what came of each challenge the secretariat has answered.",
                decision=(
                    "The secretariat approves the draft with the changes discussed; the "
                    "coordinator finalises it."
                ),
                actions=(
                    Action(
                        "Finalise the annual report and send it to the Government",
                        "coordinator",
                        21,
                        deputy="t.hakala",
                    ),
                ),
                duration=30,
            ),
            Item(
                "GRETA's fourth evaluation round",
                "GRETA's questionnaire for the fourth round is expected. The focal points agreed "
                "to name the experts who answer each part.",
                actions=(
                    Action(
                        "Ask GRETA's secretariat when the questionnaire is sent",
                        "h.lindqvist",
                        14,
                        notes=(Note(3, "Expected within two months.", ActionStatus.DONE),),
                    ),
                ),
            ),
        ),
        minutes=MinutesStatus.CIRCULATED,
        comments=(
            Comment(
                4,
                "secretariat",
                "Item 3: the Ministry of Justice did not commit to video-recorded testimony; it "
                "will assess it. Please write 'assess' rather than 'described'.",
            ),
            Comment(
                6,
                "h.lindqvist",
                "Item 5: please add that the Ministry for Foreign Affairs coordinates the answers "
                "to GRETA's questionnaire, as in earlier rounds.",
            ),
        ),
        deadline_from_today=6,
    ),
    DemoMeeting(
        SECRETARIAT,
        4,
        "Referral and assistance",
        (
            Item(
                "Victims lose assistance when the criminal case is closed (challenge)",
                description=(
                    "Victims are removed from the assistance system when the investigation ends "
                    "without charges, although they still need help to recover. The assistance "
                    "system presents its practice and figures."
                ),
                challenge=ASSISTANCE_ENDS,
                duration=30,
            ),
            Item(
                "Referral to the assistance system requires too much evidence (challenge)",
                description=(
                    "Some authorities wait for a crime report before referring a person to the "
                    "assistance system, although the law does not require one. Proposal: a "
                    "letter from the ministries to the wellbeing services counties with the "
                    "updated referral guideline."
                ),
                challenge=REFERRAL_EVIDENCE,
                duration=30,
            ),
            Item(
                "GRETA's fourth evaluation round: who answers what",
                description="The focal points name their experts for each part of the "
                "questionnaire.",
            ),
            Item(
                "Shelter places for men who are victims of labour exploitation",
                description=(
                    "The Ministry of Social Affairs and Health's survey of shelter places is "
                    "ready. Proposal: discuss its results together with the challenge."
                ),
                challenge=SHELTER_FOR_MEN,
                proposer="j.rantanen",
                pending=True,
            ),
            Item(
                "Trafficking in the upper secondary school curricula",
                description="Proposal to discuss how trafficking could be taught in schools.",
                proposer="m.aaltonen",
                declined=(
                    "The Finnish National Agency for Education is revising the curricula and "
                    "will consult the secretariat on its draft; the item is planned for the "
                    "meeting after next."
                ),
            ),
        ),
        papers=(
            Paper(
                "Clients leaving assistance after a closed investigation",
                "assistance-after-closed-cases.csv",
                ASSISTANCE_FIGURES,
            ),
        ),
        minutes="",
    ),
    DemoMeeting(
        SECRETARIAT,
        8,
        "Transposition and the annual report",
        (
            Item(
                "EU Directive transposition: the government proposal",
                description="The Ministry of Justice presents the proposal as sent to Parliament.",
                duration=40,
            ),
            Item(
                "Annual report: feedback from the Government",
                description="The coordinator reports on the discussion in the Government.",
            ),
        ),
        minutes="",
    ),
)
