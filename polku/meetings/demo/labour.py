"""A year of the Working Group on Labour Exploitation's meetings."""

from polku.meetings.choices import (
    ActionStatus,
    MinutesAudience,
    MinutesStatus,
)
from polku.meetings.demo.plans import (
    BERRY_DEBTS,
    BERRY_OBSERVATIONS,
    CASH_WAGES,
    LABOUR,
    Action,
    Comment,
    DemoMeeting,
    Item,
    Note,
    Paper,
    Revision,
)

LABOUR_MEETINGS = (
    DemoMeeting(
        LABOUR,
        -42,
        "Terms of reference",
        (
            Item(
                "Terms of reference and work plan",
                "The chair presented the working group's terms of reference. Members agreed to "
                "meet every six to eight weeks, in Helsinki and online in turn.",
                decision="The working group adopted its work plan.",
                actions=(
                    Action(
                        "Set up the working group's pages in Polku and invite the members",
                        "s.lehto",
                        10,
                        notes=(Note(3, "Done; all members have signed in.", ActionStatus.DONE),),
                    ),
                ),
            ),
            Item(
                "What labour inspectors see: cases from the last year",
                "The occupational safety and health authorities presented 23 inspections where "
                "signs of forced labour were found, mostly in cleaning, restaurants, "
                "construction and agriculture.",
                duration=40,
            ),
        ),
    ),
    DemoMeeting(
        LABOUR,
        -35,
        "Last season's joint inspections",
        (
            Item(
                "Berry picking: what last season's joint inspections found",
                "Labour inspectors and the police inspected six picking camps together last "
                "season. Unlawful deductions for housing and cars were found at four camps. One "
                "case found in the joint inspections was reported to the police as suspected "
                "trafficking for forced labour and is under investigation.",
                decision=(
                    "Joint inspections of picking camps continue next season in Lapland and "
                    "North Ostrobothnia."
                ),
                actions=(
                    Action(
                        "Plan next season's joint inspections with the police",
                        "a.berg",
                        30,
                        deputy="practitioner",
                        notes=(Note(25, "Six joint inspections planned.", ActionStatus.DONE),),
                    ),
                    Action(
                        "Report on the investigation opened after the joint inspections",
                        "practitioner",
                        60,
                        notes=(
                            Note(
                                40,
                                "Investigation continues; two suspects questioned.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(
                                100,
                                "Investigation completed and passed to the prosecutor.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                duration=45,
            ),
            Item(
                "Information for seasonal workers in their own languages",
                "The Finnish Refugee Advice Centre proposed a leaflet in Thai, Ukrainian and "
                "Vietnamese on wages, fees and where to get help.",
                decision="The leaflet is prepared with the Ministry's communications unit.",
                actions=(
                    Action(
                        "Draft the text of the leaflet",
                        "o.vainio",
                        21,
                        notes=(Note(20, "Text sent to the Ministry.", ActionStatus.DONE),),
                    ),
                ),
                proposer="o.vainio",
            ),
        ),
        location=(
            "Regional State Administrative Agency for Lapland, Valtakatu 2, Rovaniemi, room Ounas"
        ),
        comments=(
            Comment(
                5,
                "a.berg",
                "Item 3: at the other two camps the pickers had written agreements; please say so.",
            ),
        ),
        revisions=(
            Revision(
                12,
                "s.lehto",
                "Comment from the occupational safety and health authorities included",
                (
                    (
                        "were found at four camps.",
                        "were found at four camps; at the other two the pickers had written "
                        "agreements.",
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        LABOUR,
        -28,
        "Subcontracting chains",
        (
            Item(
                "Subcontracting chains in cleaning and restaurants",
                "Inspectors cannot find who is responsible when workers are employed through "
                "long chains of subcontractors, which often end in a one-person company abroad.",
                decision=(
                    "The Ministry reviews the chain liability models used in other Nordic "
                    "countries."
                ),
                actions=(
                    Action(
                        "Review chain liability in Norway and Sweden",
                        "s.lehto",
                        90,
                        deputy="k.salonen",
                        notes=(
                            Note(
                                45,
                                "Norway's model described; Sweden's awaited.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(
                                120,
                                "Review completed and sent to the members.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
                duration=45,
            ),
            Item(
                "Posted workers on building sites",
                "Inspectors found posted workers on four building sites whose wages were paid "
                "into bank accounts controlled by their employer.",
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        LABOUR,
        -21,
        "Wage theft",
        (
            Item(
                "Wage theft as a crime: the Ministry of Justice's draft",
                "The Ministry of Justice is preparing a new offence of wage theft. Members "
                "considered that it would help to prosecute exploitation that does not reach "
                "the threshold of trafficking.",
                decision=(
                    "The working group comments on the draft jointly, supporting it and asking "
                    "for cooperation between inspectors and prosecutors."
                ),
                actions=(
                    Action(
                        "Write the working group's comment on the wage theft draft",
                        "e.nurmi",
                        21,
                        deputy="o.vainio",
                        notes=(
                            Note(18, "Comment sent to the Ministry of Justice.", ActionStatus.DONE),
                        ),
                    ),
                    Action(
                        "Organise a seminar on wage theft for the members",
                        "s.lehto",
                        60,
                        notes=(
                            Note(
                                30,
                                "Cancelled: the Ministry of Justice holds its own hearing on the "
                                "draft, which the members attend instead.",
                                ActionStatus.CANCELLED,
                            ),
                        ),
                    ),
                ),
                duration=40,
            ),
            Item(
                "Leaflet for seasonal workers",
                "The leaflet is ready in Thai, Ukrainian, Vietnamese, English and Finnish.",
                duration=10,
            ),
        ),
        where="online",
    ),
    DemoMeeting(
        LABOUR,
        -14,
        "Recruitment fees",
        (
            Item(
                "Recruitment fees and debts in berry picking",
                "Most pickers interviewed last season had paid recruitment fees of 2 000 to 3 500 euros in their home "
                "countries. Companies buying the berries said they cannot see the fees.",
                decision=(
                    "The working group proposes that companies buying wild berries show the "
                    "pickers' contracts and fees to the labour inspectorate before the season."
                ),
                actions=(
                    Action(
                        "Take the proposal on contracts and fees into the guidance on wild "
                        "berry picking",
                        "k.salonen",
                        60,
                        deputy="s.lehto",
                        notes=(
                            Note(30, "Included in the draft guidance.", ActionStatus.IN_PROGRESS),
                            Note(70, "Guidance published.", ActionStatus.DONE),
                        ),
                    ),
                ),
                duration=40,
            ),
            Item(
                "Joint training of labour inspectors and police",
                "Members proposed a two-day course for inspectors and investigators together.",
                actions=(
                    Action(
                        "Plan the joint course with the Police University College",
                        "a.berg",
                        100,
                        deputy="practitioner",
                        notes=(Note(40, "Programme drafted.", ActionStatus.IN_PROGRESS),),
                    ),
                ),
                proposer="practitioner",
            ),
        ),
        audience=MinutesAudience.BODY,
        papers=(
            Paper(
                "Observations from last season's picking camps",
                "berry-season-observations.txt",
                BERRY_OBSERVATIONS,
            ),
        ),
    ),
    DemoMeeting(
        LABOUR,
        -7,
        "Recruitment debts",
        (
            Item(
                "Berry pickers' recruitment debts (challenge)",
                "The challenge, raised by a labour inspector and endorsed by five "
                "practitioners, describes debts to recruiters that grow with fees for housing, "
                "cars and equipment. The new guidance requires companies to show contracts and "
                "fees before the season.",
                decision=(
                    "The working group considers that the guidance answers the challenge and "
                    "asks the labour inspectorate to report after the next season whether debts "
                    "have decreased."
                ),
                actions=(
                    Action(
                        "Report on recruitment debts found in the next season's inspections",
                        "a.berg",
                        300,
                        deputy="s.lehto",
                    ),
                ),
                challenge=BERRY_DEBTS,
                duration=40,
            ),
            Item(
                "Residence permits of workers who leave an exploitative employer",
                "Members discussed cases where workers lose their residence permit when they "
                "leave an exploitative employer.",
                actions=(
                    Action(
                        "Collect examples of permit decisions for the Finnish Immigration Service",
                        "o.vainio",
                        30,
                    ),
                ),
                proposer="o.vainio",
            ),
        ),
        minutes=MinutesStatus.APPROVED,
    ),
    DemoMeeting(
        LABOUR,
        0,
        "Contact points and chain liability",
        (
            Item(
                "Inspectors' findings to the police: the new contact points",
                "The chair reported the secretariat's decision. Every police department now has "
                "a contact point. In the first weeks inspectors passed five findings to the "
                "police on the day of the inspection.",
                decision=(
                    "The working group drafts a guideline for inspectors and the police on the "
                    "same-day procedure."
                ),
                actions=(
                    Action(
                        "Draft the guideline on passing findings to the police",
                        "a.berg",
                        40,
                        deputy="practitioner",
                        notes=(
                            Note(
                                10,
                                "Outline shared with the members.",
                                ActionStatus.IN_PROGRESS,
                            ),
                        ),
                    ),
                ),
            ),
            Item(
                "Chain liability: a proposal",
                "The review of the Nordic models shows that chain liability for unpaid wages "
                "works in Norway's construction and cleaning sectors.",
                decision=(
                    "The working group proposes chain liability for unpaid wages in cleaning, "
                    "restaurants and construction to the Ministry."
                ),
                actions=(
                    Action(
                        "Prepare a memorandum on chain liability for the Ministry's management",
                        "k.salonen",
                        45,
                        deputy="s.lehto",
                    ),
                ),
            ),
        ),
        minutes=MinutesStatus.REVISED,
        comments=(
            Comment(
                7,
                "e.nurmi",
                "Item 3: please add that the prosecutors want a named prosecutor in each "
                "district as well.",
            ),
        ),
        revisions=(
            Revision(
                15,
                "s.lehto",
                "Comment from the prosecutors included",
                (
                    (
                        "on the day of the inspection.",
                        "on the day of the inspection. The prosecutors asked for a named "
                        "prosecutor in each district as well.",
                    ),
                ),
            ),
        ),
        deadline=14,
    ),
    DemoMeeting(
        LABOUR,
        7,
        "Preparing the next berry season",
        (
            Item(
                "Preparing the next berry season: guidance and inspections",
                description="The inspectorate presents its plan; the police and the Finnish "
                "Immigration Service comment.",
                duration=45,
            ),
            Item(
                "Chain liability: the Ministry's response",
                description="The chair reports on the memorandum.",
            ),
            Item(
                "Restaurant workers paid in cash without records",
                description=(
                    "Without payslips there is no evidence of hours or wages. Proposal: hear "
                    "the tax authorities on cash payments in restaurants."
                ),
                challenge=CASH_WAGES,
                proposer="a.berg",
                pending=True,
            ),
            Item(
                "Legal aid for undocumented workers",
                description="Proposal to discuss free legal advice for workers without papers.",
                proposer="o.vainio",
                declined=(
                    "This concerns every form of exploitation, not labour alone; the secretariat "
                    "takes it up together with the related challenge, and the chair reports "
                    "back."
                ),
            ),
        ),
        minutes="",
    ),
)
