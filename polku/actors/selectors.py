"""Reads of organisations, people and bodies, always through the reader's scope."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.actors.permissions import body_scope, organisation_scope, person_scope
from polku.core.permissions import AnyUser, get_in_scope

BODY_ROLE_ORDER = [
    BodyRole.CHAIR,
    BodyRole.SECRETARY,
    BodyRole.FOCAL_POINT,
    BodyRole.DEPUTY_FOCAL_POINT,
    BodyRole.MEMBER,
    BodyRole.GUEST,
]


def _name_search(search: str, prefix: str = "") -> Q:
    query = Q()
    for field in ("name", "name_fi", "name_sv", "short_name"):
        query |= Q(**{f"{prefix}{field}__icontains": search})
    return query


def organisation_list(
    *,
    user: AnyUser,
    search: str = "",
    kind: str = "",
    region: str = "",
    include_inactive: bool = False,
) -> QuerySet[Organisation]:
    """Organisations the user may see, filtered, with their member counts."""
    organisations = organisation_scope(user).select_related("parent")
    if search:
        organisations = organisations.filter(_name_search(search))
    if kind:
        organisations = organisations.filter(kind=kind)
    if region:
        organisations = organisations.filter(region=region)
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    active_members = (
        Membership.objects.filter(organisation=OuterRef("pk"), is_active=True)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # A correlated subquery is evaluated for the rows of one page only, and the paginator's
    # count leaves it out; a join with GROUP BY would aggregate the whole directory.
    return organisations.annotate(
        member_count=Coalesce(Subquery(active_members, output_field=IntegerField()), 0)
    ).order_by("name", "pk")


def organisation_regions(*, user: AnyUser) -> list[str]:
    """The regions in use, for the region filter."""
    regions = (
        organisation_scope(user)
        .exclude(region="")
        .order_by()
        .values_list("region", flat=True)
        .distinct()
    )
    return sorted(regions)


def organisation_get(*, user: AnyUser, pk: int) -> Organisation:
    """One organisation from the user's scope (404 outside it)."""
    return get_in_scope(organisation_scope(user).select_related("parent"), pk=pk)


def organisation_memberships(*, organisation: Organisation) -> QuerySet[Membership]:
    """Who is in an organisation, and in which role."""
    return (
        organisation.memberships.filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def organisation_children(*, user: AnyUser, organisation: Organisation) -> QuerySet[Organisation]:
    return organisation_scope(user).filter(parent=organisation).order_by("name")


def organisation_seats(*, user: AnyUser, organisation: Organisation) -> QuerySet[BodyMember]:
    """The seats an organisation holds on bodies the user may see."""
    return (
        BodyMember.objects.filter(organisation=organisation, body__in=body_scope(user))
        .select_related("body", "user")
        .order_by("body__name", "role")
    )


def person_list(
    *,
    user: AnyUser,
    search: str = "",
    organisation: str = "",
    role: str = "",
) -> QuerySet[User]:
    """People the user may see, with their active memberships."""
    people = person_scope(user)
    memberships = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
    if organisation:
        memberships = memberships.filter(_name_search(organisation, prefix="organisation__"))
    if role:
        memberships = memberships.filter(role=role)
    if organisation or role:
        people = people.filter(Exists(memberships))
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(username__icontains=search)
            | Q(job_title__icontains=search)
        )
    active_memberships = Membership.objects.filter(is_active=True).select_related("organisation")
    return people.prefetch_related(Prefetch("memberships", queryset=active_memberships)).order_by(
        "last_name", "first_name", "pk"
    )


def person_get(*, user: AnyUser, pk: int) -> User:
    """One person from the user's scope (404 outside it)."""
    return get_in_scope(person_scope(user), pk=pk)


def person_memberships(*, person: User) -> QuerySet[Membership]:
    return person.memberships.select_related("organisation").order_by(
        "-is_active", "organisation__name", "role"
    )


def person_seats(*, user: AnyUser, person: User) -> QuerySet[BodyMember]:
    """The seats a person holds on bodies the reader may see."""
    return (
        BodyMember.objects.filter(user=person, body__in=body_scope(user))
        .select_related("body", "organisation")
        .order_by("body__name")
    )


def body_list(*, user: AnyUser, search: str = "", kind: str = "") -> QuerySet[Body]:
    """Bodies the user may see, with their member counts and convening organisation."""
    bodies = body_scope(user).select_related("convened_by")
    if search:
        bodies = bodies.filter(
            Q(name__icontains=search)
            | Q(name_fi__icontains=search)
            | Q(name_sv__icontains=search)
            | Q(mandate__icontains=search)
        )
    if kind:
        bodies = bodies.filter(kind=kind)
    seats = (
        BodyMember.objects.filter(body=OuterRef("pk"))
        .order_by()
        .values("body")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return bodies.annotate(
        member_count=Coalesce(Subquery(seats, output_field=IntegerField()), 0)
    ).order_by("kind", "name")


def body_get(*, user: AnyUser, pk: int) -> Body:
    """One body from the user's scope (404 outside it)."""
    return get_in_scope(body_scope(user).select_related("convened_by"), pk=pk)


def body_members(*, body: Body) -> QuerySet[BodyMember]:
    """A body's members: officers first, then focal points by organisation."""
    rank = Case(
        *(When(role=role, then=Value(index)) for index, role in enumerate(BODY_ROLE_ORDER)),
        default=Value(len(BODY_ROLE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        body.members.select_related("user", "organisation")
        .annotate(role_rank=rank)
        .order_by("role_rank", "organisation__name", "user__last_name")
    )


@dataclass(frozen=True)
class FocalPoints:
    """A ministry's focal point on a body and the deputy who stands in for them."""

    organisation: Organisation
    focal_point: BodyMember | None
    deputy: BodyMember | None


def focal_points_by_ministry(*, members: list[BodyMember]) -> list[FocalPoints]:
    """Pairs each represented ministry's focal point with its deputy, from fetched members."""
    pairs: dict[int, dict[str, BodyMember]] = {}
    organisations: dict[int, Organisation] = {}
    for member in members:
        if member.role in (BodyRole.FOCAL_POINT, BodyRole.DEPUTY_FOCAL_POINT):
            pairs.setdefault(member.organisation_id, {})[member.role] = member
            organisations[member.organisation_id] = member.organisation
    return sorted(
        (
            FocalPoints(
                organisation=organisations[organisation_id],
                focal_point=roles.get(BodyRole.FOCAL_POINT),
                deputy=roles.get(BodyRole.DEPUTY_FOCAL_POINT),
            )
            for organisation_id, roles in pairs.items()
        ),
        key=lambda pair: pair.organisation.display_name,
    )
