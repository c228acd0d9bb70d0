"""Who may see, fill, validate and accept statistics returns. Everything starts from nothing.

- A data provider sees and fills their own organisation's returns, and reopens a sent one
  with a reason.
- The organisation's designated validator (``ReturnValidator``) sees its returns and
  validates or returns a submitted one, unless they submitted it themselves.
- The coordinator and the secretariat see every return once it has been sent (submitted,
  validated or accepted) and accept or return a validated one. They and administrators
  keep the list of validators.
- The national rapporteur reads accepted returns.
- Other insiders see no return (403 on lists, 404 on a return); anonymous visitors are
  sent to sign in. The public sees only reporting's published, disclosure-controlled tables.
"""

from typing import Any

from django.db.models import Q, QuerySet

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.core.permissions import AnyUser, is_insider
from polku.statistics.choices_returns import (
    EDITABLE_STATUSES,
    REVISABLE_STATUSES,
    SENT_STATUSES,
    ReturnStatus,
)
from polku.statistics.models import Return, ReturnValidator

COORDINATION_ROLES = (Role.COORDINATOR, Role.SECRETARIAT)
VALIDATOR_KEEPER_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


def _as_insider(user: AnyUser) -> User | None:
    return user if isinstance(user, User) and is_insider(user) else None


def provider_organisations(user: User) -> QuerySet[Membership, Any]:
    """Ids of the active organisations where the user is an active data provider."""
    return Membership.objects.filter(
        user_id=user.pk,
        role=Role.DATA_PROVIDER,
        is_active=True,
        organisation__is_active=True,
    ).values("organisation_id")


def validator_organisations(user: User) -> QuerySet[ReturnValidator, Any]:
    """Ids of the active organisations whose returns the user is designated to validate."""
    return ReturnValidator.objects.filter(
        user_id=user.pk, is_active=True, organisation__is_active=True
    ).values("organisation_id")


def is_coordination(user: AnyUser) -> bool:
    insider = _as_insider(user)
    return insider is not None and insider.has_role(*COORDINATION_ROLES)


def is_provider(user: AnyUser) -> bool:
    insider = _as_insider(user)
    return insider is not None and insider.has_role(Role.DATA_PROVIDER)


def is_validator(user: AnyUser) -> bool:
    insider = _as_insider(user)
    return insider is not None and validator_organisations(insider).exists()


def can_list_returns(user: AnyUser) -> bool:
    """Whoever has any part in returns sees the list; other insiders are refused."""
    return is_provider(user) or is_coordination(user) or is_validator(user)


def can_read_indicators(user: AnyUser) -> bool:
    """Indicator definitions are reference knowledge for every insider."""
    return is_insider(user)


def can_keep_validators(user: AnyUser) -> bool:
    insider = _as_insider(user)
    return insider is not None and insider.has_role(*VALIDATOR_KEEPER_ROLES)


def return_scope(user: AnyUser) -> QuerySet[Return]:
    """The returns a user may see at all; nothing unless a rule below grants it."""
    insider = _as_insider(user)
    if insider is None:
        return Return.objects.none()
    visible = Q(organisation_id__in=provider_organisations(insider)) | Q(
        organisation_id__in=validator_organisations(insider)
    )
    if insider.has_role(*COORDINATION_ROLES):
        visible |= Q(status__in=SENT_STATUSES)
    # The rapporteur reads protected national figures in reporting, never a return: its
    # figures come before disclosure control (docs/adr/0016-statistics-returns.md).
    return Return.objects.filter(visible)


def _provides_for(user: AnyUser, organisation_id: int) -> bool:
    insider = _as_insider(user)
    return (
        insider is not None
        and provider_organisations(insider).filter(organisation_id=organisation_id).exists()
    )


def _validates_for(user: AnyUser, organisation_id: int) -> bool:
    insider = _as_insider(user)
    return (
        insider is not None
        and validator_organisations(insider).filter(organisation_id=organisation_id).exists()
    )


def can_start(user: AnyUser, organisation: Organisation) -> bool:
    """A data provider starts their own organisation's returns."""
    return _provides_for(user, organisation.pk)


def can_edit(user: AnyUser, statistics_return: Return) -> bool:
    """The organisation's data providers change a draft or a returned return."""
    return statistics_return.status in EDITABLE_STATUSES and _provides_for(
        user, statistics_return.organisation_id
    )


def can_submit(user: AnyUser, statistics_return: Return) -> bool:
    return can_edit(user, statistics_return)


def can_validate(user: AnyUser, statistics_return: Return) -> bool:
    """The designated validator, never the person who submitted it (four eyes)."""
    return (
        statistics_return.status == ReturnStatus.SUBMITTED
        and isinstance(user, User)
        and statistics_return.submitted_by_id != user.pk
        and _validates_for(user, statistics_return.organisation_id)
    )


def can_accept(user: AnyUser, statistics_return: Return) -> bool:
    """The coordinator and the secretariat accept what the organisation has validated."""
    return statistics_return.status == ReturnStatus.VALIDATED and is_coordination(user)


def can_send_back(user: AnyUser, statistics_return: Return) -> bool:
    """Whoever may take the next step on a return may instead return it with comments."""
    return can_validate(user, statistics_return) or can_accept(user, statistics_return)


def can_revise(user: AnyUser, statistics_return: Return) -> bool:
    """The organisation's data providers reopen a sent return as a new revision."""
    return statistics_return.status in REVISABLE_STATUSES and _provides_for(
        user, statistics_return.organisation_id
    )
