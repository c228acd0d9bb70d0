"""A year of meetings of the secretariat and two working groups for the demo, made by the services.

Needs the demo actors (polku/actors/demo.py) and challenges (polku/voice/demo.py). The
secretariat meets about once a month, the working groups every six or seven weeks; each has
meetings to come. Past meetings were held, with attendance, decisions, actions followed up
with progress notes, and minutes in every state. Several items are about demo challenges,
and decisions on them reach those challenges as outcomes.

How the past is made. The services rightly refuse what only the past allows: scheduling a
meeting that has started, an action due on a day already gone, a comment deadline in the
past. So every step runs through the real service with the clock set back to the moment it
would have happened: `_clock` patches `django.utils.timezone.now` for the length of one step,
inside this loader only (a management command, one thread). All steps of all meetings are
sorted by their moment and run in that order, so each service sees the world as it then was:
a meeting is scheduled three weeks ahead, items are proposed and accepted, the agenda is sent,
invitees answer, the meeting is held, attendance, decisions and actions are recorded, actions
are followed up, and the minutes are drafted, circulated, commented on, revised, approved and
published. Rows, audit events, notifications and challenges' timelines carry the times they
would have had; the audit log's hash chain stays whole, and its times follow the clock rather
than the order the rows were written in. A progress note planned after today has not
happened yet and is left out, which is how some actions stay open and become overdue.

Two things the clock cannot set are set afterwards: the e-mails of that year went at the
time, so every invitation is marked as mailed in its current revision and every notification
as e-mailed when it was made; and people have read what is more than two weeks old. Loading
the demo therefore sends no e-mails about the past.

Dates are relative to today, so the demo always looks current. A body that already has
meetings is left as it is, so running the loader twice adds nothing.
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Max, Model
from django.utils import timezone

from polku.accounts.models import User
from polku.actors.models import Body, BodyMember, Organisation
from polku.audit.services import audit_write
from polku.meetings.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AgendaItemStatus,
    Attendance,
    InvitationResponse,
    MinutesAudience,
    MinutesStatus,
)
from polku.meetings.models import (
    ActionItem,
    ActionNote,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
    MinutesComment,
    MinutesVersion,
)
from polku.meetings.services import actions as action_services
from polku.meetings.services import agenda as agenda_services
from polku.meetings.services import meetings as meeting_services
from polku.meetings.services import minutes as minutes_services
from polku.meetings.services.decisions import decision_record
from polku.notifications.models import Notification
from polku.voice.models import Challenge, Outcome

SECRETARIAT = "National Anti-Trafficking Secretariat"
LABOUR = "Working Group on Labour Exploitation"
IDENTIFICATION = "Victim Identification Working Group"

# Demo challenges (polku/voice/demo.py) that items are about.
LABOUR_FINDINGS = "Labour inspectors cannot share findings with the police quickly enough"
POLICE_EXPERTISE = "Poliisilaitoksilla ei ole ihmiskauppaan perehtyneitä tutkijoita"
TRIAL_DELAYS = "Victims withdraw before trial because proceedings take years"
BERRY_DEBTS = "Berry pickers' recruitment debts"
ASSISTANCE_ENDS = "Victims lose assistance when the criminal case is closed"
REFERRAL_EVIDENCE = "Auttamisjärjestelmään ohjaaminen vaatii liikaa todisteita"
SHELTER_FOR_MEN = "Men who are victims of labour exploitation have nowhere to stay"
BORDER_FLAG = "Border guards have no way to flag a suspected victim to the next border"
SOCIAL_WORKERS = "Socialarbetare vet inte när de ska kontakta hjälpsystemet"
CASH_WAGES = "Restaurant workers are paid in cash and have no records"

PUBLISHED = MinutesStatus.PUBLISHED
# Notifications older than this have been read.
READ_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class DemoBody:
    """How a body meets: when, where, who chairs and who keeps the minutes."""

    name: str
    title: str
    weekday: int
    starts: time
    hours: int
    location: str
    online_url: str
    chair: str
    secretary: str
    # Days before today of its latest meeting, before moving it back to the weekday.
    latest_days_ago: int
    # "chair": the chair approves the minutes alone; "next": the next meeting approves them.
    approval: str


BODIES = {
    SECRETARIAT: DemoBody(
        SECRETARIAT,
        "Secretariat meeting",
        weekday=1,
        starts=time(13, 0),
        hours=2,
        location="Ministry of the Interior, Kirkkokatu 12, Helsinki, room 3.14",
        online_url="https://meet.example.fi/sm/anti-trafficking-secretariat",
        chair="coordinator",
        secretary="t.hakala",
        latest_days_ago=10,
        approval="chair",
    ),
    LABOUR: DemoBody(
        LABOUR,
        "Labour exploitation working group",
        weekday=3,
        starts=time(9, 30),
        hours=2,
        location=(
            "Ministry of Economic Affairs and Employment, Aleksanterinkatu 4, Helsinki, "
            "meeting room Kaisaniemi"
        ),
        online_url="https://meet.example.fi/tem/labour-exploitation-wg",
        chair="k.salonen",
        secretary="s.lehto",
        latest_days_ago=20,
        approval="next",
    ),
    IDENTIFICATION: DemoBody(
        IDENTIFICATION,
        "Victim identification working group",
        weekday=2,
        starts=time(10, 0),
        hours=2,
        location="Ministry of Social Affairs and Health, Meritullinkatu 8, Helsinki, room 2.10",
        online_url="https://meet.example.fi/stm/victim-identification-wg",
        chair="secretariat2",
        secretary="r.koivisto",
        latest_days_ago=27,
        approval="next",
    ),
}


@dataclass(frozen=True)
class Note:
    """Progress on an action, `day` days after its meeting (left out if still to come)."""

    day: int
    text: str
    status: str = ""
    by: str = ""  # the owner when empty


@dataclass(frozen=True)
class Action:
    title: str
    owner: str
    due: int  # days after the meeting
    deputy: str = ""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Item:
    """An agenda item: what the minutes say of it, and what was decided and undertaken."""

    title: str
    minutes: str = ""
    description: str = ""
    decision: str = ""
    actions: tuple[Action, ...] = ()
    challenge: str = ""  # the title of the demo challenge the item is about
    proposer: str = ""  # a member who proposed it; the chair accepted it
    duration: int = 20
    pending: bool = False  # still waiting for the chair
    declined: str = ""  # the chair's reason for declining it


@dataclass(frozen=True)
class Comment:
    day: int
    by: str
    text: str


@dataclass(frozen=True)
class Revision:
    """A new version of the minutes: each (old, new) replaces words of the previous one."""

    day: int
    by: str
    note: str
    changes: tuple[tuple[str, str], ...]
    at: time = time(14, 0)


@dataclass(frozen=True)
class Paper:
    title: str
    filename: str
    text: str


@dataclass(frozen=True)
class DemoMeeting:
    body: str
    # Weeks after the body's latest past meeting: 0 is that one, negative earlier, positive
    # still to come.
    week: int
    theme: str
    items: tuple[Item, ...]
    where: str = "hybrid"  # "room", "online" or "hybrid"
    location: str = ""  # instead of the body's usual room
    chatham_house: bool = False
    minutes: str = PUBLISHED  # the state its minutes reach
    audience: str = MinutesAudience.INSIDERS
    comments: tuple[Comment, ...] = ()
    revisions: tuple[Revision, ...] = ()
    # Comments by this many days after the meeting; or, when `deadline_from_today` is set,
    # this many days from today.
    deadline: int = 10
    deadline_from_today: int | None = None
    approve_day: int = 12  # when the chair approves, in days after the meeting
    guests: tuple[str, ...] = ()
    papers: tuple[Paper, ...] = ()


GRETA_TABLE = """recommendation,paragraph,lead,status
Identification of victims of trafficking for labour exploitation,103,Ministry of Economic Affairs and Employment,under way
Assistance regardless of cooperation in criminal proceedings,141,Ministry of Social Affairs and Health,under way
Recovery and reflection period in practice,155,Ministry of the Interior,completed
Compensation from the State and from perpetrators,182,Ministry of Justice,not started
Effective investigations and convictions for forced labour,211,Ministry of the Interior,under way
Non-punishment of victims,225,Ministry of Justice,under way
Identification of child victims,236,Ministry of Social Affairs and Health,under way
"""

BERRY_OBSERVATIONS = """Observations from last season's picking camps (summary for the working group)

- 64 picking sites inspected, 6 of them jointly with the police.
- Recruitment fees paid in the home country: 2 000 to 3 500 euros per picker.
- Deductions for housing, cars and equipment without written agreement at 19 sites.
- Passports held by the camp manager at 2 sites.
- 1 case reported to the police as suspected trafficking for forced labour.
"""

ASSISTANCE_FIGURES = """year,clients_whose_case_closed_without_charges,of_whom_left_assistance_within_3_months
previous year,41,29
year before,36,24
"""

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

IDENTIFICATION_MEETINGS = (
    DemoMeeting(
        IDENTIFICATION,
        -45,
        "Terms of reference and indicators",
        (
            Item(
                "Terms of reference and work plan",
                "The chair presented the terms of reference.",
                decision="The working group adopted its work plan.",
                duration=15,
            ),
            Item(
                "Indicators of trafficking used by the authorities",
                "Members compared the indicator lists used by the police, the Border Guard, the "
                "assistance system and social services. The lists overlap but differ in wording "
                "and in what they ask the worker to do next.",
                decision="The working group prepares one list of indicators for all first "
                "responders.",
                actions=(
                    Action(
                        "Combine the indicator lists into one draft",
                        "r.koivisto",
                        60,
                        deputy="n.salo",
                        notes=(
                            Note(
                                30,
                                "A draft combining the four lists is with the members.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(55, "Draft list ready for comments.", ActionStatus.DONE),
                        ),
                    ),
                ),
                duration=60,
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -39,
        "Identification at the border",
        (
            Item(
                "Identification at border crossing points",
                "The Border Guard described how officers recognise possible victims among "
                "arriving passengers, and the limits of what they may ask.",
                proposer="v.peltonen",
            ),
            Item(
                "Referrals to the assistance system by authority",
                "Of last year's referrals, most came from NGOs, the police and the Finnish "
                "Immigration Service; very few came from health care and social services.",
                decision="The working group turns next to social and health services.",
            ),
        ),
        where="online",
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -32,
        "Children forced to commit crimes",
        (
            Item(
                "Children forced to commit crimes",
                "Child welfare workers see young people used in drug dealing and thefts but "
                "treat them as offenders. Members discussed when a child welfare worker should "
                "consider trafficking.",
                decision=(
                    "The working group asks the Ministry of Social Affairs and Health to include "
                    "trafficking in the guidance on child welfare."
                ),
                actions=(
                    Action(
                        "Propose a section on trafficking for the guidance on child welfare",
                        "secretariat2",
                        90,
                        deputy="r.koivisto",
                        notes=(
                            Note(
                                60,
                                "Section drafted with the Finnish Institute for Health and "
                                "Welfare.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(150, "Section included in the guidance.", ActionStatus.DONE),
                        ),
                    ),
                ),
                proposer="n.salo",
                duration=60,
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -26,
        "Interpreting at night",
        (
            Item(
                "Interpreting at night for presumed victims",
                "Victims identified at night wait until morning for an interpreter. The "
                "assistance system is buying telephone interpreting around the clock in the "
                "languages most needed.",
                actions=(
                    Action(
                        "Report on the purchase of interpreting at night",
                        "r.koivisto",
                        60,
                        notes=(
                            Note(
                                45,
                                "Contract signed; the service starts within three months.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
            Item(
                "The combined indicator list: comments",
                "Members' comments were gone through. The list is clearer for social workers "
                "than the earlier ones.",
                decision=(
                    "The list is tried in the social services of three wellbeing services counties."
                ),
                actions=(
                    Action(
                        "Try the indicator list in Pirkanmaa's social services and report",
                        "n.salo",
                        120,
                        deputy="r.koivisto",
                        notes=(
                            Note(60, "In use in two units.", ActionStatus.IN_PROGRESS),
                            Note(
                                115,
                                "Report sent: the list is clear; the part on children needs "
                                "more examples.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        where="online",
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -19,
        "Referral without a crime report",
        (
            Item(
                "Referral to the assistance system without a crime report",
                "Practice varies by region: in some regions social workers wait for a police "
                "report before referring. Members agreed that the referral guideline must say "
                "clearly that no report is needed.",
                decision="The working group comments on the secretariat's draft referral "
                "guideline.",
                actions=(
                    Action(
                        "Collect the NGOs' comments on the referral guideline",
                        "ngo",
                        21,
                        deputy="n.salo",
                        notes=(Note(20, "Comments from four NGOs sent.", ActionStatus.DONE),),
                    ),
                ),
                duration=45,
            ),
        ),
        audience=MinutesAudience.BODY,
        comments=(
            Comment(
                4,
                "ngo",
                "Item 3: please add that victims are often referred by NGOs at night and at "
                "weekends, when social services are closed.",
            ),
        ),
        revisions=(
            Revision(
                11,
                "r.koivisto",
                "Comment on referrals by NGOs included",
                (
                    (
                        "wait for a police report before referring.",
                        "wait for a police report before referring. NGOs refer many victims at "
                        "night and at weekends, when social services are closed.",
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        IDENTIFICATION,
        -13,
        "Training and a checklist",
        (
            Item(
                "Refresher training for border guards",
                "Officers trained years ago have had no refresher training. The Border Guard "
                "includes trafficking in its annual training programme, with material from the "
                "assistance system.",
                decision="The assistance system and the Border Guard prepare the material "
                "together.",
                actions=(
                    Action(
                        "Prepare the refresher training material with the assistance system",
                        "v.peltonen",
                        60,
                        deputy="r.koivisto",
                        notes=(Note(40, "Material half-way.", ActionStatus.IN_PROGRESS),),
                    ),
                ),
                proposer="v.peltonen",
            ),
            Item(
                "A checklist for social workers",
                "Social workers asked for a one-page checklist of the signs of trafficking and "
                "of when to contact the assistance system.",
                actions=(
                    Action(
                        "Draft a one-page checklist for social workers",
                        "n.salo",
                        45,
                        notes=(
                            Note(
                                20, "First version tried with colleagues.", ActionStatus.IN_PROGRESS
                            ),
                            Note(
                                50,
                                "Checklist ready; it goes with the indicator list.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -6,
        "Forced marriage",
        (
            Item(
                "Shelter places for victims of forced marriage",
                "Shelters are often full and do not always understand pressure from the family. "
                "Young women go back home because there is nowhere else to go.",
                decision=(
                    "The working group asks the Ministry of Social Affairs and Health to survey "
                    "the shelters' expertise on forced marriage."
                ),
                actions=(
                    Action(
                        "Survey the shelters' expertise on forced marriage",
                        "secretariat2",
                        60,
                        deputy="j.rantanen",
                        notes=(
                            Note(
                                30, "Questionnaire sent to every shelter.", ActionStatus.IN_PROGRESS
                            ),
                        ),
                    ),
                ),
                duration=45,
            ),
            Item(
                "Interpreting at night: the first experience",
                "The telephone interpreting service has been used twelve times at night, mostly "
                "in Vietnamese.",
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        0,
        "Flagging suspected victims at the border",
        (
            Item(
                "Flagging a suspected victim to the next border crossing point (challenge)",
                "The challenge, raised by a border guard inspector, asks for a lawful way to ask "
                "colleagues at the next crossing point to pay attention to a person who may be a "
                "victim. Members discussed what the law on the Border Guard and data protection "
                "allow. The discussion continues at the next meeting.",
                actions=(
                    Action(
                        "Ask the Border Guard's legal unit what may be passed to the next "
                        "crossing point",
                        "v.peltonen",
                        35,
                    ),
                ),
                challenge=BORDER_FLAG,
                duration=40,
            ),
            Item(
                "The indicator list after the trial",
                "The trial in three counties went well; the part on children needs more examples.",
                decision=(
                    "The working group approves the indicator list once the examples on children "
                    "are added, and sends it to the secretariat."
                ),
                actions=(
                    Action(
                        "Add the examples on children and send the list to the secretariat",
                        "r.koivisto",
                        40,
                        notes=(
                            Note(
                                10,
                                "Examples added; comments from child welfare awaited.",
                                ActionStatus.IN_PROGRESS,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        minutes=MinutesStatus.DRAFT,
        revisions=(
            Revision(
                19,
                "r.koivisto",
                "Item 3 completed",
                (
                    (
                        "The discussion continues at the next meeting.",
                        "The Border Guard asks its legal unit for an opinion before the next "
                        "meeting, where the discussion continues.",
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        IDENTIFICATION,
        6,
        "Border flags and social workers",
        (
            Item(
                "Flagging a suspected victim to the next border crossing point (continued)",
                description="The Border Guard reports its legal unit's opinion.",
                challenge=BORDER_FLAG,
                duration=30,
            ),
            Item(
                "When should social workers contact the assistance system? (challenge)",
                description=(
                    "Social workers lack a simple checklist of the signs of trafficking and of "
                    "when and how to refer a person. The working group's checklist is ready."
                ),
                challenge=SOCIAL_WORKERS,
            ),
            Item(
                "Children who go missing from reception centres",
                description="Proposal to hear the Finnish Immigration Service on what is done "
                "when an unaccompanied child disappears.",
                proposer="n.salo",
                pending=True,
            ),
        ),
        minutes="",
    ),
)

MEETINGS = SECRETARIAT_MEETINGS + LABOUR_MEETINGS + IDENTIFICATION_MEETINGS


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Runs what is inside as if it were `moment`: services, timestamps and audit alike."""
    with mock.patch.object(timezone, "now", new=lambda: moment):
        yield


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _outside_holidays(day: date, *, later: bool) -> date:
    """Bodies do not meet between Christmas and Epiphany: a week earlier, or later if to come."""
    while (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 6):
        day += timedelta(weeks=1 if later else -1)
    return day


def _finnish_time(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour}.{local.minute:02d}"


def _finnish_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _follow_up_text(open_actions: int, overdue: int) -> str:
    if not open_actions:
        return "No actions were open."
    if open_actions == 1:
        late = "past its due date" if overdue else "not yet due"
        return f"The follow-up list was reviewed: 1 action open, {late}."
    if not overdue:
        late = "none of them past its due date"
    elif overdue == 1:
        late = "1 of them past its due date"
    else:
        late = f"{overdue} of them past their due date"
    return f"The follow-up list was reviewed: {open_actions} actions open, {late}."


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _share(*parts: str) -> int:
    """A stable number from 0 to 99 for the parts: the same mix of attendance every load."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


@dataclass
class _Sitting:
    """One demo meeting while it is being made."""

    plan: DemoMeeting
    config: DemoBody
    body: Body
    day: date
    title: str = ""
    meeting: Meeting | None = None
    following: "_Sitting | None" = None
    items: dict[str, AgendaItem] = field(default_factory=dict)
    open_actions: int = 0
    overdue_actions: int = 0
    text: str = ""

    @property
    def starts_at(self) -> datetime:
        return _at(self.day, self.config.starts)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(hours=self.config.hours)

    @property
    def held(self) -> bool:
        return self.plan.week <= 0

    def made(self) -> Meeting:
        assert self.meeting is not None, "The meeting is made by its first step."
        return self.meeting


class _Loader:
    """Plans every step of every demo meeting, then runs them in order with the clock set."""

    def __init__(self, bodies: list[Body]) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.people = {user.username: user for user in User.objects.filter(is_active=True)}
        self.bodies = {body.name: body for body in bodies}
        titles = {item.challenge for plan in MEETINGS for item in plan.items if item.challenge}
        self.challenges = {
            challenge.title: challenge for challenge in Challenge.objects.filter(title__in=titles)
        }
        self.unlinked: set[tuple[str, str]] = set()
        self.last_event = {
            challenge.title: challenge.events.aggregate(last=Max("created_at"))["last"]
            for challenge in self.challenges.values()
        }

    # --- Planning ----------------------------------------------------------------------

    def person(self, username: str) -> User:
        return self.people[username]

    def organisation_of(self, username: str, body: Body) -> Organisation:
        """The organisation a person speaks for: their seat's, else their membership's."""
        seat = BodyMember.objects.filter(body=body, user=self.person(username)).first()
        if seat is not None:
            return seat.organisation
        membership = self.person(username).memberships.filter(is_active=True).first()
        assert membership is not None, username
        return membership.organisation

    def at(self, moment: datetime, step: Callable[[], None], *, if_past: bool = False) -> None:
        """Plans a step; one still to come is an error, unless it may simply not have happened."""
        if moment >= self.now:
            if if_past:
                return
            raise ValueError(f"A demo step is planned in the future: {moment}.")
        self.steps.append((moment, len(self.steps), step))

    def sittings(self) -> list[_Sitting]:
        sittings: list[_Sitting] = []
        for name, body in self.bodies.items():
            config = BODIES[name]
            latest = self.today - timedelta(days=config.latest_days_ago)
            latest -= timedelta(days=(latest.weekday() - config.weekday) % 7)
            plans = sorted((plan for plan in MEETINGS if plan.body == name), key=lambda p: p.week)
            own = [
                _Sitting(
                    plan=plan,
                    config=config,
                    body=body,
                    day=_outside_holidays(latest + timedelta(weeks=plan.week), later=plan.week > 0),
                )
                for plan in plans
            ]
            for sitting, following in zip(own, [*own[1:], None], strict=True):
                sitting.following = following
                sitting.title = f"{config.title}: {sitting.plan.theme}"
            sittings.extend(own)
        return sittings

    def plan(self) -> None:
        for sitting in self.sittings():
            if sitting.held:
                self.plan_held(sitting)
            else:
                self.plan_upcoming(sitting)

    def _chair_moment(self, sitting: _Sitting, moment: datetime) -> datetime:
        """The chair drafts the agenda once everything that already happened to the challenges
        on it has happened. An item that cannot wait for that goes on without its challenge
        (say, one just addressed by a guideline loaded before the meetings)."""
        limit = min(sitting.starts_at - timedelta(hours=12), self.now)
        for item in sitting.plan.items:
            last = self.last_event.get(item.challenge)
            if item.proposer or last is None:
                continue
            after = _at(timezone.localdate(last) + timedelta(days=1), time(9, 0))
            if after >= limit:
                after = last + timedelta(hours=1)
            if after >= limit:
                self.unlinked.add((sitting.title, item.title))
            elif after > moment:
                moment = after
        return moment

    def plan_agenda(
        self, sitting: _Sitting, *, scheduled: datetime, proposals: datetime
    ) -> datetime:
        """Plans the agenda up to its last item; returns when the last item is settled."""
        plan = sitting.plan
        self.at(scheduled, partial(self.schedule, sitting))
        self.at(scheduled + timedelta(minutes=30), partial(self.standing_items, sitting))
        chaired = self._chair_moment(sitting, scheduled + timedelta(days=7 if sitting.held else 3))
        for number, item in enumerate(plan.items):
            if not item.proposer:
                self.at(chaired + timedelta(minutes=number), partial(self.add_item, sitting, item))
        for number, guest in enumerate(plan.guests):
            self.at(
                chaired + timedelta(hours=1, minutes=number), partial(self.invite, sitting, guest)
            )
        settled = chaired + timedelta(minutes=len(plan.items))
        for number, item in enumerate(item for item in plan.items if item.proposer):
            proposed = proposals + timedelta(minutes=10 * number)
            self.at(proposed, partial(self.propose, sitting, item))
            answered = proposed + timedelta(days=2)
            if item.declined:
                self.at(answered, partial(self.decline, sitting, item))
            elif not item.pending:
                self.at(answered, partial(self.accept, sitting, item))
            settled = max(settled, answered)
        papers = proposals + timedelta(days=3)
        for number, paper in enumerate(plan.papers):
            self.at(papers + timedelta(minutes=number), partial(self.upload, sitting, paper))
        return settled

    def plan_held(self, sitting: _Sitting) -> None:
        plan = sitting.plan
        start = sitting.starts_at
        settled = self.plan_agenda(
            sitting,
            scheduled=_at(sitting.day - timedelta(days=21), time(9, 30)),
            proposals=_at(sitting.day - timedelta(days=12), time(14, 0)),
        )
        # The agenda closes with other business and goes out a week before, or once it is
        # complete if a challenge on it came in late.
        closed = max(
            _at(sitting.day - timedelta(days=7), time(8, 30)), settled + timedelta(hours=1)
        )
        self.at(closed, partial(self.closing_item, sitting))
        self.at(closed + timedelta(minutes=30), partial(self.send_agenda, sitting))
        self.at(_at(sitting.day - timedelta(days=4), time(12, 0)), partial(self.answer, sitting))
        self.at(start + timedelta(minutes=20), partial(self.review_actions, sitting))
        self.at(sitting.ends_at + timedelta(minutes=5), partial(self.hold, sitting))
        self.at(sitting.ends_at + timedelta(minutes=15), partial(self.decide, sitting))
        for item in plan.items:
            for action in item.actions:
                for note in action.notes:
                    moment = _at(sitting.day + timedelta(days=note.day), time(11, 0))
                    self.at(
                        moment, partial(self.progress, sitting, item, action, note), if_past=True
                    )
        self.plan_minutes(sitting)

    def plan_minutes(self, sitting: _Sitting) -> None:
        plan = sitting.plan
        day = sitting.day
        self.at(_at(day + timedelta(days=2), time(10, 0)), partial(self.first_draft, sitting))
        for revision in plan.revisions:
            moment = _at(day + timedelta(days=revision.day), revision.at)
            self.at(moment, partial(self.revise, sitting, revision))
        if plan.minutes == MinutesStatus.DRAFT:
            return
        self.at(_at(day + timedelta(days=3), time(9, 0)), partial(self.circulate, sitting))
        for comment in plan.comments:
            moment = _at(day + timedelta(days=comment.day), time(13, 0))
            self.at(moment, partial(self.comment, sitting, comment))
        if plan.minutes not in (MinutesStatus.APPROVED, PUBLISHED):
            return
        if sitting.config.approval == "chair":
            approved = _at(day + timedelta(days=plan.approve_day), time(10, 0))
        else:
            following = sitting.following
            assert following is not None and following.held, sitting.title
            approved = following.ends_at + timedelta(minutes=25)
        self.at(approved, partial(self.approve, sitting))
        if plan.minutes == PUBLISHED:
            published = _at(timezone.localdate(approved) + timedelta(days=1), time(10, 30))
            self.at(published, partial(self.publish, sitting))

    def plan_upcoming(self, sitting: _Sitting) -> None:
        today = self.today
        settled = self.plan_agenda(
            sitting,
            scheduled=_at(today - timedelta(days=13), time(9, 30)),
            proposals=_at(today - timedelta(days=6), time(14, 0)),
        )
        closed = max(_at(today - timedelta(days=2), time(8, 30)), settled + timedelta(hours=1))
        self.at(closed, partial(self.closing_item, sitting))
        self.at(_at(today - timedelta(days=1), time(12, 0)), partial(self.answer, sitting))

    # --- Steps -------------------------------------------------------------------------

    def schedule(self, sitting: _Sitting) -> None:
        config, plan = sitting.config, sitting.plan
        location = plan.location or config.location
        sitting.meeting = meeting_services.meeting_schedule(
            actor=self.person(config.secretary),
            body=sitting.body,
            data=meeting_services.MeetingInput(
                title=sitting.title,
                starts_at=sitting.starts_at,
                ends_at=sitting.ends_at,
                location="" if plan.where == "online" else location,
                online_url="" if plan.where == "room" else config.online_url,
                chatham_house=plan.chatham_house,
            ),
        )

    def _add(self, sitting: _Sitting, actor: str, title: str, minutes: int | None) -> None:
        result = agenda_services.agenda_item_add(
            actor=self.person(actor),
            meeting=sitting.made(),
            data=agenda_services.AgendaItemInput(title=title, duration_minutes=minutes),
        )
        sitting.items[title] = result.item

    def standing_items(self, sitting: _Sitting) -> None:
        secretary = sitting.config.secretary
        self._add(sitting, secretary, "Opening of the meeting and adoption of the agenda", 5)
        if sitting.body.meetings.filter(starts_at__lt=sitting.starts_at).exists():
            self._add(sitting, secretary, "Follow-up of actions", 10)

    def closing_item(self, sitting: _Sitting) -> None:
        self._add(sitting, sitting.config.secretary, "Other business and the next meeting", 10)

    def add_item(self, sitting: _Sitting, item: Item) -> None:
        config = sitting.config
        # Only the chair of these bodies may move a challenge onto an agenda (a triage role).
        actor = config.chair if item.challenge else config.secretary
        result = agenda_services.agenda_item_add(
            actor=self.person(actor),
            meeting=sitting.made(),
            data=self._input(sitting, item),
        )
        sitting.items[item.title] = result.item

    def _input(self, sitting: _Sitting, item: Item) -> agenda_services.AgendaItemInput:
        linked = (sitting.title, item.title) not in self.unlinked
        return agenda_services.AgendaItemInput(
            title=item.title,
            description=item.description,
            duration_minutes=item.duration,
            challenge=self.challenges.get(item.challenge) if linked else None,
        )

    def invite(self, sitting: _Sitting, username: str) -> None:
        meeting_services.meeting_invite(
            actor=self.person(sitting.config.secretary),
            meeting=sitting.made(),
            user=self.person(username),
            organisation=self.organisation_of(username, sitting.body),
        )

    def propose(self, sitting: _Sitting, item: Item) -> None:
        sitting.items[item.title] = agenda_services.agenda_item_propose(
            actor=self.person(item.proposer),
            meeting=sitting.made(),
            data=self._input(sitting, item),
        )

    def accept(self, sitting: _Sitting, item: Item) -> None:
        result = agenda_services.agenda_item_accept(
            actor=self.person(sitting.config.chair), item=sitting.items[item.title]
        )
        sitting.items[item.title] = result.item

    def decline(self, sitting: _Sitting, item: Item) -> None:
        sitting.items[item.title] = agenda_services.agenda_item_decline(
            actor=self.person(sitting.config.chair),
            item=sitting.items[item.title],
            reason=item.declined,
        )

    def upload(self, sitting: _Sitting, paper: Paper) -> None:
        meeting_services.document_upload(
            actor=self.person(sitting.config.secretary),
            meeting=sitting.made(),
            file=SimpleUploadedFile(paper.filename, paper.text.encode()),
            title=paper.title,
        )

    def send_agenda(self, sitting: _Sitting) -> None:
        agenda_services.agenda_send(
            actor=self.person(sitting.config.secretary), meeting=sitting.made()
        )

    def attendance_of(self, sitting: _Sitting, invitation: Invitation) -> str:
        """Most come; some send apologies beforehand; now and then someone does not turn up."""
        config = sitting.config
        username = invitation.user.username
        if username in (config.chair, config.secretary) or username in sitting.plan.guests:
            return Attendance.PRESENT
        share = _share(sitting.title, username)
        if share < 76:
            return Attendance.PRESENT
        if share < 92:
            return Attendance.APOLOGIES
        return Attendance.ABSENT

    def answer(self, sitting: _Sitting) -> None:
        """Invitees say whether they are coming; some never answer."""
        meeting = sitting.made()
        for invitation in meeting.invitations.select_related("user").order_by("pk"):
            username = invitation.user.username
            if sitting.held:
                attendance = self.attendance_of(sitting, invitation)
                if attendance == Attendance.APOLOGIES:
                    response = InvitationResponse.DECLINED
                elif attendance == Attendance.PRESENT and _share(username, sitting.title) % 3:
                    response = InvitationResponse.ACCEPTED
                else:
                    continue
            elif _share(username, sitting.title) < 60:
                response = InvitationResponse.ACCEPTED
            else:
                continue
            meeting_services.invitation_respond(
                actor=invitation.user, meeting=meeting, response=response
            )

    def review_actions(self, sitting: _Sitting) -> None:
        """The follow-up item: the body goes through its open actions."""
        meeting = sitting.made()
        open_actions = list(
            ActionItem.objects.filter(body=sitting.body, status__in=OPEN_ACTION_STATUSES)
        )
        sitting.open_actions = len(open_actions)
        sitting.overdue_actions = sum(action.due_on < sitting.day for action in open_actions)
        if open_actions:
            action_services.actions_mark_reviewed(
                actor=self.person(sitting.config.secretary),
                body=sitting.body,
                meeting=meeting,
                actions=open_actions,
            )

    def hold(self, sitting: _Sitting) -> None:
        secretary = self.person(sitting.config.secretary)
        meeting = meeting_services.meeting_mark_held(actor=secretary, meeting=sitting.made())
        attendance = {
            invitation.pk: self.attendance_of(sitting, invitation)
            for invitation in meeting.invitations.select_related("user")
        }
        sitting.meeting = meeting_services.meeting_record_attendance(
            actor=secretary, meeting=meeting, attendance=attendance
        )

    def decide(self, sitting: _Sitting) -> None:
        """Decisions on the items, and the actions that follow from them."""
        secretary = self.person(sitting.config.secretary)
        for item in sitting.plan.items:
            agenda_item = sitting.items[item.title]
            decision = None
            if item.decision:
                decision = decision_record(actor=secretary, item=agenda_item, text=item.decision)
            for action in item.actions:
                action_services.action_create(
                    actor=secretary,
                    item=agenda_item,
                    data=action_services.ActionInput(
                        title=action.title,
                        owner=self.person(action.owner),
                        owner_organisation=self.organisation_of(action.owner, sitting.body),
                        due_on=sitting.day + timedelta(days=action.due),
                        deputy=self.person(action.deputy) if action.deputy else None,
                        decision=decision,
                    ),
                )

    def progress(self, sitting: _Sitting, item: Item, action: Action, note: Note) -> None:
        found = ActionItem.objects.get(item=sitting.items[item.title], title=action.title)
        action_services.action_add_note(
            actor=self.person(note.by or action.owner),
            action=found,
            text=note.text,
            status=note.status,
        )

    # --- Minutes -----------------------------------------------------------------------

    def _minutes(self, sitting: _Sitting) -> Minutes:
        return Minutes.objects.get(meeting=sitting.made())

    def first_draft(self, sitting: _Sitting) -> None:
        sitting.text = self.minutes_text(sitting)
        minutes_services.minutes_save(
            actor=self.person(sitting.config.secretary),
            meeting=sitting.made(),
            text=sitting.text,
            base_version=0,
            note="First draft",
        )

    def revise(self, sitting: _Sitting, revision: Revision) -> None:
        text = sitting.text
        for old, new in revision.changes:
            if old not in text:
                raise ValueError(f"“{old}” is not in the minutes of {sitting.title}.")
            text = text.replace(old, new)
        minutes = self._minutes(sitting)
        minutes_services.minutes_save(
            actor=self.person(revision.by),
            meeting=sitting.made(),
            text=text,
            base_version=minutes.version,
            note=revision.note,
        )
        sitting.text = text

    def circulate(self, sitting: _Sitting) -> None:
        plan = sitting.plan
        if plan.deadline_from_today is not None:
            deadline = self.today + timedelta(days=plan.deadline_from_today)
        else:
            deadline = sitting.day + timedelta(days=plan.deadline)
        minutes_services.minutes_circulate(
            actor=self.person(sitting.config.secretary),
            minutes=self._minutes(sitting),
            comment_deadline=deadline,
        )

    def comment(self, sitting: _Sitting, comment: Comment) -> None:
        minutes_services.minutes_comment(
            actor=self.person(comment.by), minutes=self._minutes(sitting), text=comment.text
        )

    def approve(self, sitting: _Sitting) -> None:
        config = sitting.config
        if config.approval == "chair":
            minutes_services.minutes_approve(
                actor=self.person(config.chair), minutes=self._minutes(sitting)
            )
            return
        following = sitting.following
        assert following is not None
        minutes_services.minutes_approve(
            actor=self.person(config.secretary),
            minutes=self._minutes(sitting),
            at_meeting=following.made(),
        )

    def publish(self, sitting: _Sitting) -> None:
        minutes_services.minutes_publish(
            actor=self.person(sitting.config.secretary),
            minutes=self._minutes(sitting),
            audience=sitting.plan.audience,
        )

    def minutes_text(self, sitting: _Sitting) -> str:
        """The secretary's first draft, from the agenda, the attendance and the decisions."""
        meeting = sitting.made()
        plan = sitting.plan
        chatham = meeting.chatham_house
        local_start = timezone.localtime(meeting.starts_at)
        lines = [
            f"{sitting.body.name}",
            f"Minutes of the meeting “{meeting.title}”",
            "",
            f"Time: {WEEKDAYS[local_start.weekday()]} {_finnish_date(local_start.date())}, "
            f"{_finnish_time(meeting.starts_at)}-{_finnish_time(meeting.ends_at)}",
            f"Place: {meeting.location or 'online'}"
            + (" and online" if meeting.location and meeting.online_url else ""),
        ]
        lines.extend(self._attendance_lines(sitting))
        items = list(
            meeting.items.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
        )
        planned = {item.title: item for item in plan.items}
        for number, agenda_item in enumerate(items, start=1):
            lines += ["", f"{number}. {agenda_item.title}"]
            item = planned.get(agenda_item.title)
            if item is None:
                lines.append(self._standing_text(sitting, agenda_item.title))
                continue
            if item.minutes:
                lines.append(item.minutes)
            if item.decision:
                lines.append(f"Decision: {item.decision}")
            for action in agenda_item.actions.select_related("owner", "owner_organisation"):
                due = _finnish_date(action.due_on)
                if chatham:
                    lines.append(f"Action: {action.title}, by {due}.")
                else:
                    lines.append(
                        f"Action: {action.owner} ({action.owner_organisation.name}): "
                        f"{action.title}, by {due}."
                    )
        closing = _at(sitting.day, sitting.config.starts) + timedelta(
            hours=sitting.config.hours, minutes=-5
        )
        lines += ["", f"The chair closed the meeting at {_finnish_time(closing)}."]
        return "\n".join(lines)

    def _attendance_lines(self, sitting: _Sitting) -> list[str]:
        meeting = sitting.made()
        invitations = list(
            meeting.invitations.select_related("user", "organisation").order_by("kind", "pk")
        )
        if meeting.chatham_house:
            present = [i for i in invitations if i.attendance == Attendance.PRESENT]
            guests = sum(invitation.kind == "guest" for invitation in present)
            return [
                f"Present: {len(present)} participants, {guests} of them invited guests.",
                "The meeting was held under the Chatham House rule.",
            ]
        roles = {
            sitting.config.chair: "chair",
            sitting.config.secretary: "secretary",
        }
        lines = []
        for label, value in (
            ("Present", Attendance.PRESENT),
            ("Sent apologies", Attendance.APOLOGIES),
            ("Absent", Attendance.ABSENT),
        ):
            names = []
            for invitation in invitations:
                if invitation.attendance != value:
                    continue
                role = roles.get(invitation.user.username)
                if invitation.kind == "guest":
                    role = "guest"
                suffix = f", {role}" if role else ""
                names.append(f"{invitation.user} ({invitation.organisation.name}{suffix})")
            if names:
                lines.append(f"{label}: " + "; ".join(names))
        return lines

    def _standing_text(self, sitting: _Sitting, title: str) -> str:
        meeting = sitting.made()
        if title.startswith("Opening"):
            text = f"The chair opened the meeting at {_finnish_time(meeting.starts_at)}. "
            if meeting.chatham_house:
                text += "The chair reminded participants that the Chatham House rule applies. "
            return text + "The agenda was adopted."
        if title.startswith("Follow-up"):
            return _follow_up_text(sitting.open_actions, sitting.overdue_actions)
        following = sitting.following
        if following is None:
            return "No other business. The date of the next meeting is agreed later."
        return (
            "No other business. The next meeting is held on "
            f"{WEEKDAYS[following.day.weekday()]} {_finnish_date(following.day)}."
        )

    # --- Running -----------------------------------------------------------------------

    def run(self) -> None:
        for moment, _order, step in sorted(self.steps, key=lambda step: (step[0], step[1])):
            with _clock(moment):
                step()


COUNTED: dict[str, type[Model]] = {
    "meetings": Meeting,
    "invitations": Invitation,
    "agenda_items": AgendaItem,
    "documents": MeetingDocument,
    "minutes": Minutes,
    "minutes_versions": MinutesVersion,
    "minutes_comments": MinutesComment,
    "decisions": Decision,
    "actions": ActionItem,
    "action_notes": ActionNote,
    "challenge_outcomes": Outcome,
}


def _counts() -> dict[str, int]:
    return {name: model._default_manager.count() for name, model in COUNTED.items()}


def _settle_the_past(*, since_notification: int, meetings: list[Meeting], now: datetime) -> None:
    """E-mails of the past went at the time, and what is old has been read."""
    made = Notification.objects.filter(pk__gt=since_notification)
    made.filter(emailed_at=None).update(emailed_at=F("created_at"))
    made.filter(read_at=None, created_at__lt=now - READ_AFTER).update(
        read_at=F("created_at") + timedelta(days=1)
    )
    for meeting in meetings:
        meeting.invitations.update(sent_sequence=meeting.sequence)


@transaction.atomic
def load() -> dict[str, int]:
    """Makes a year of meetings for each demo body that has none; returns what it created."""
    before = _counts()
    bodies = [
        body
        for body in Body.objects.filter(name__in=BODIES)
        if not Meeting.objects.filter(body=body).exists()
    ]
    since_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    loader = _Loader(bodies)
    loader.plan()
    loader.run()
    made = list(Meeting.objects.filter(body__in=bodies))
    _settle_the_past(since_notification=since_notification, meetings=made, now=loader.now)
    after = _counts()
    created = {name: after[name] - before[name] for name in COUNTED}
    audit_write(actor=None, action="meetings.demo.load", detail=created)
    return created
