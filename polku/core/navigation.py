"""Where a signed-in person can go, which depends on the roles they hold.

Destinations are the pages a person may open (one card each on the home page). The main
navigation groups them into a few sections so that it fits on one line: a section with one
destination links straight to it, a section with several has a landing page of cards
(``core:directory``, ``core:administration``).
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.accounts.choices import COORDINATION_ROLES, Role
from polku.accounts.models import User
from polku.core.designations import RETURN_VALIDATOR, is_designated
from polku.core.permissions import AnyUser


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool
    # One sentence for the home page's dashboard card.
    description: str | Promise = ""


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    # Paths under these belong to the section, so it is marked as current there; where
    # sections' prefixes nest, the longest match wins.
    prefixes: tuple[str, ...]
    # The URL name of the section's own landing page, when it has several destinations.
    landing: str = ""
    # Shown among the account links in the header rather than in the menu.
    in_header: bool = False


@dataclass(frozen=True)
class Destination:
    label: str | Promise
    url_name: str
    description: str | Promise
    section: str


SECTIONS = (
    Section("challenges", _("Challenges"), ("/voice/",)),
    Section("inbox", _("Inbox"), ("/voice/inbox/",)),
    Section("dashboard", _("Dashboard"), ("/voice/dashboard/",)),
    Section("meetings", _("Meetings"), ("/meetings/",), landing="meetings:meeting_list"),
    Section("guidelines", _("Guidelines"), ("/guidelines/",), landing="guidelines:library"),
    Section(
        "statistics",
        _("Statistics"),
        ("/statistics/", "/reports/"),
        landing="core:statistics",
    ),
    Section(
        "directory",
        _("Directory"),
        ("/directory/", "/actors/"),
        landing="core:directory",
    ),
    Section(
        "administration",
        _("Administration"),
        ("/administration/", "/api-tokens/", "/audit/"),
        landing="core:administration",
        in_header=True,
    ),
)


def destinations_for(user: AnyUser) -> list[Destination]:
    """Every page the person's roles let them open from the navigation, in menu order."""
    if not isinstance(user, User) or not user.roles:
        # Someone without a role may open no list, so none is offered.
        return []
    found = [
        Destination(
            _("Challenges"),
            "voice:challenge_list",
            _("Problems practitioners meet, and what is being done about them."),
            "challenges",
        )
    ]
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT):
        found.append(
            Destination(
                _("Inbox"),
                "voice:inbox",
                _("Challenges to triage, with their response clocks."),
                "inbox",
            )
        )
    elif user.has_role(Role.DECISION_MAKER, Role.RAPPORTEUR):
        found.append(
            Destination(
                _("Dashboard"),
                "voice:dashboard",
                _("What practitioners raise, and how quickly they are answered."),
                "dashboard",
            )
        )
    found += [
        Destination(
            _("Meetings"),
            "meetings:meeting_list",
            _("Meetings of the secretariat and working groups: agendas, minutes, decisions."),
            "meetings",
        ),
        Destination(
            _("My actions"),
            "meetings:my_actions",
            _("What you have undertaken to do, and when it is due."),
            "meetings",
        ),
        Destination(
            _("Guidelines"),
            "guidelines:library",
            _("Published guidelines for practitioners, by audience and form of exploitation."),
            "guidelines",
        ),
        Destination(
            _("Guidelines in the making"),
            "guidelines:workspace",
            _("Drafts and consultations you are drafting or invited to comment on."),
            "guidelines",
        ),
    ]
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.DATA_PROVIDER) or is_designated(
        user, RETURN_VALIDATOR
    ):
        found.append(
            Destination(
                _("Returns"),
                "statistics:return_list",
                _("The authorities' yearly figures: filled, validated and accepted."),
                "statistics",
            )
        )
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.DATA_PROVIDER, Role.RAPPORTEUR):
        found.append(
            Destination(
                _("Estimates"),
                "statistics:estimate_list",
                _("Estimates of the hidden number of victims from overlapping lists."),
                "statistics",
            )
        )
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.RAPPORTEUR):
        found += [
            Destination(
                _("National tables"),
                "reporting:national_tables",
                _("Accepted figures summed nationally, by each breakdown, protected."),
                "statistics",
            ),
            Destination(
                _("Reporting templates"),
                "reporting:output_list",
                _("The tables owed to the Commission, Eurostat, GRETA and the SDG indicators."),
                "statistics",
            ),
        ]
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR):
        found.append(
            Destination(
                _("Indicators"),
                "statistics:indicator_list",
                _("What is counted every year, who reports it, and the population for rates."),
                "statistics",
            )
        )
    found += [
        Destination(
            _("Annual reports"),
            "reporting:report_list",
            _("The government's yearly statistics report, with the rapporteur's commentary."),
            "statistics",
        ),
        Destination(
            _("Organisations"),
            "actors:organisation_list",
            _("Ministries, authorities and NGOs taking part in the coordination."),
            "directory",
        ),
        Destination(
            _("Bodies"),
            "actors:body_list",
            _("The secretariat and working groups, and who sits in them."),
            "directory",
        ),
        Destination(
            _("People"),
            "actors:person_list",
            _("Who holds which role, and how to reach them."),
            "directory",
        ),
    ]
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR, Role.DATA_PROVIDER):
        found.append(
            Destination(
                _("API tokens"),
                "api:token_list",
                _("Tokens that let your organisation's systems use the API."),
                "administration",
            )
        )
    if user.has_role(*COORDINATION_ROLES):
        found.append(
            Destination(
                _("Audit log"),
                "audit:event_list",
                _("Every change, and every read of protected data, as it was recorded."),
                "administration",
            )
        )
    return found


def destination_cards(user: AnyUser, section: str = "") -> list[NavItem]:
    """The destinations (of one section, or all) as cards with their descriptions."""
    return [
        NavItem(
            label=destination.label,
            url=reverse(destination.url_name),
            active=False,
            description=destination.description,
        )
        for destination in destinations_for(user)
        if not section or destination.section == section
    ]


def navigation_for(request: HttpRequest, *, header: bool = False) -> list[NavItem]:
    """One item per section the person can reach; Polku's name in the header leads home.

    With `header`, the sections that sit among the account links instead.
    """
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    destinations = destinations_for(user)
    current = _current_section(request.path)
    for section in SECTIONS:
        if section.in_header != header:
            continue
        inside = [d for d in destinations if d.section == section.key]
        if not inside:
            continue
        if len(inside) > 1 and section.landing:
            label, url = section.label, reverse(section.landing)
        else:
            # Alone in its section, a page goes by its own name.
            label, url = inside[0].label, reverse(inside[0].url_name)
        items.append(NavItem(label=label, url=url, active=section.key == current))
    return items


def _current_section(path: str) -> str:
    matches = [
        (len(prefix), section.key)
        for section in SECTIONS
        for prefix in section.prefixes
        if path.startswith(prefix)
    ]
    return max(matches)[1] if matches else ""
