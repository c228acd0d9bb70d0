"""Who may see and change organisations, people and bodies. Everything starts from nothing."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from polku.accounts.choices import COORDINATION_ROLES, Role
from polku.accounts.models import User
from polku.actors.choices import BodyRole, BodyVisibility
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.core.permissions import AnyUser, is_insider

DIRECTORY_MANAGERS = (Role.COORDINATOR, Role.ADMINISTRATOR)


def organisation_scope(user: AnyUser) -> QuerySet[Organisation]:
    """Insiders see the active directory; the coordination also sees retired organisations."""
    if not is_insider(user):
        return Organisation.objects.none()
    assert isinstance(user, User)
    if user.has_role(*COORDINATION_ROLES):
        return Organisation.objects.all()
    return Organisation.objects.filter(is_active=True)


def person_scope(user: AnyUser) -> QuerySet[User]:
    """Insiders see people who hold an active membership; the coordination sees everyone."""
    if not is_insider(user):
        return User.objects.none()
    assert isinstance(user, User)
    if user.has_role(*COORDINATION_ROLES):
        return User.objects.all()
    holds_a_role = Membership.objects.filter(
        user=OuterRef("pk"), is_active=True, organisation__is_active=True
    )
    return User.objects.filter(Exists(holds_a_role), is_active=True)


def body_scope(user: AnyUser) -> QuerySet[Body]:
    """Open bodies for insiders; closed bodies only for their members and the coordination."""
    if not is_insider(user):
        return Body.objects.none()
    assert isinstance(user, User)
    if user.has_role(*COORDINATION_ROLES):
        return Body.objects.all()
    sits_on_it = BodyMember.objects.filter(body=OuterRef("pk"), user=user)
    return Body.objects.filter(
        Q(is_active=True, visibility=BodyVisibility.ALL_USERS) | Exists(sits_on_it)
    )


def can_manage_directory(user: AnyUser) -> bool:
    """Organisations, people and memberships are kept by the coordinator and administrators."""
    return isinstance(user, User) and user.has_role(*DIRECTORY_MANAGERS)


def can_manage_body(user: AnyUser, body: Body) -> bool:
    """A body is kept by the directory managers and by its own chair and secretary."""
    if can_manage_directory(user):
        return True
    if not isinstance(user, User):
        return False
    return body.members.filter(user=user, role__in=[BodyRole.CHAIR, BodyRole.SECRETARY]).exists()
