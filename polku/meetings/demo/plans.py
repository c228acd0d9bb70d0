"""The shapes of the demo year: bodies, meetings, items, actions and the words they share."""

from dataclasses import dataclass
from datetime import time, timedelta

from polku.meetings.choices import (
    MinutesAudience,
    MinutesStatus,
)

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
