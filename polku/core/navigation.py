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


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    entries: list[tuple[str | Promise, str]] = [
        (_("Home"), "core:home"),
        (_("Organisations"), "actors:organisation_list"),
        (_("Bodies"), "actors:body_list"),
        (_("People"), "actors:person_list"),
    ]
    if user.has_role(Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR, Role.DATA_PROVIDER):
        entries.append((_("API tokens"), "api:token_list"))
    if user.has_role(*COORDINATION_ROLES):
        entries.append((_("Audit log"), "audit:event_list"))
    path = request.path
    items = []
    for label, name in entries:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
    return items
