"""The main navigation, which depends on who is signed in and what roles they hold."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.accounts.choices import COORDINATION_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool
    # One sentence for the home page's dashboard card.
    description: str | Promise = ""


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    entries: list[tuple[str | Promise, str, str | Promise]] = [(_("Home"), "core:home", "")]
    if not user.roles:
        # Someone without a role may open no list, so none is offered.
        return _items(request, entries)
    entries += [
        (
            _("Organisations"),
            "actors:organisation_list",
            _("Ministries, authorities and NGOs taking part in the coordination."),
        ),
        (
            _("Bodies"),
            "actors:body_list",
            _("The secretariat and working groups, and who sits in them."),
        ),
        (
            _("People"),
            "actors:person_list",
            _("Who holds which role, and how to reach them."),
        ),
    ]
    entries.insert(
        1,
        (
            _("Challenges"),
            "voice:challenge_list",
            _("Problems practitioners meet, and what is being done about them."),
        ),
    )
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT):
        entries.insert(
            2,
            (
                _("Inbox"),
                "voice:inbox",
                _("Challenges to triage, with their response clocks."),
            ),
        )
    elif user.has_role(Role.DECISION_MAKER, Role.RAPPORTEUR):
        entries.insert(
            2,
            (
                _("Dashboard"),
                "voice:dashboard",
                _("What practitioners raise, and how quickly they are answered."),
            ),
        )
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR, Role.DATA_PROVIDER):
        entries.append(
            (
                _("API tokens"),
                "api:token_list",
                _("Tokens that let your organisation's systems use the API."),
            )
        )
    if user.has_role(*COORDINATION_ROLES):
        entries.append(
            (
                _("Audit log"),
                "audit:event_list",
                _("Every change, and every read of protected data, as it was recorded."),
            )
        )
    return _items(request, entries)


def _items(
    request: HttpRequest, entries: list[tuple[str | Promise, str, str | Promise]]
) -> list[NavItem]:
    path = request.path
    items = []
    for label, name, description in entries:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active, description=description))
    return items
