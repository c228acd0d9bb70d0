"""Reads of challenges, always through the reader's scope."""

from dataclasses import dataclass
from typing import Literal

from django.db.models import (
    Case,
    Count,
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
from polku.actors.choices import OrganisationKind
from polku.actors.models import Membership
from polku.core.permissions import AnyUser, get_in_scope
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, Comment, Endorsement, Outcome, StatusEvent
from polku.voice.permissions import TRIAGE_ROLES, can_triage, challenge_scope

# A breakdown of protected challenges names a value only when this many share it.
BREAKDOWN_THRESHOLD = 5


def _with_categories(challenges: QuerySet[Challenge]) -> QuerySet[Challenge]:
    return challenges.prefetch_related(
        Prefetch(
            "categories",
            queryset=Category.objects.select_related("typology").order_by("order", "code"),
        )
    )


def _endorsement_count() -> Coalesce:
    counted = (
        Endorsement.objects.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def challenge_list(
    *,
    user: AnyUser,
    search: str = "",
    status: str = "",
    sector: Category | None = None,
    exploitation_form: Category | None = None,
    region: Category | None = None,
    include_merged: bool = False,
) -> QuerySet[Challenge]:
    """Submitted challenges the user may see, filtered, newest day first."""
    challenges = challenge_scope(user).exclude(status=ChallengeStatus.DRAFT)
    if status:
        challenges = challenges.filter(status=status)
    elif not include_merged:
        challenges = challenges.exclude(status=ChallengeStatus.MERGED)
    if search:
        challenges = challenges.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(reference__iexact=search.strip())
        )
    for category in (sector, exploitation_form):
        if category is not None:
            challenges = challenges.filter(category_links__category=category)
    if region is not None:
        challenges = challenges.filter(region=region)
    return (
        _with_categories(challenges.select_related("region", "organisation", "owner"))
        .annotate(endorsement_count=_endorsement_count())
        .order_by("-submitted_on", "sort_key")
    )


def challenge_mine(*, user: AnyUser) -> QuerySet[Challenge]:
    """The user's own drafts and the challenges they raised under their name."""
    if not isinstance(user, User):
        return Challenge.objects.none()
    drafts_first = Case(
        When(status=ChallengeStatus.DRAFT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        challenge_scope(user)
        .filter(submitted_by=user)
        .select_related("region")
        .annotate(endorsement_count=_endorsement_count(), drafts_first=drafts_first)
        .order_by("drafts_first", "-submitted_on", "-updated_at")
    )


def challenge_get(*, user: AnyUser, pk: object) -> Challenge:
    """One challenge from the user's scope (404 outside it)."""
    return get_in_scope(
        _with_categories(
            challenge_scope(user).select_related(
                "region", "organisation", "submitted_by", "owner", "merged_into", "revealed_region"
            )
        ),
        pk=pk,
    )


def challenge_timeline(*, challenge: Challenge, user: AnyUser) -> QuerySet[StatusEvent]:
    """The timeline; entries internal to the secretariat only for the triage roles."""
    events = challenge.events.all()
    if not can_triage(user):
        events = events.filter(visible_to_submitter=True)
    return events.order_by("created_at")


def challenge_submitter_timeline(*, challenge: Challenge) -> QuerySet[StatusEvent]:
    """What the submitter of a protected challenge reads with their follow-up code."""
    return challenge.events.filter(visible_to_submitter=True).order_by("created_at")


def challenge_comments(*, challenge: Challenge) -> QuerySet[Comment]:
    """The discussion, with hidden comments in place (their text is left out by the page)."""
    return challenge.comments.select_related("author", "hidden_by").order_by("created_at")


def challenge_endorsements(*, challenge: Challenge) -> QuerySet[Endorsement]:
    return challenge.endorsements.select_related("user", "organisation", "sector").order_by(
        "created_at"
    )


def challenge_outcomes(*, challenge: Challenge) -> QuerySet[Outcome]:
    return challenge.outcomes.select_related("link_type").order_by("created_at")


@dataclass(frozen=True)
class Breadth:
    """How widely a challenge is shared: people, their organisations, their sectors."""

    people: int
    organisations: int
    sectors: int


def endorsement_breadth(*, challenge: Challenge) -> Breadth:
    """Counts endorsing people, organisations and sectors in one query."""
    counts = challenge.endorsements.aggregate(
        people=Count("user", distinct=True),
        organisations=Count("organisation", distinct=True),
        sectors=Count("sector", distinct=True),
    )
    return Breadth(
        people=counts["people"], organisations=counts["organisations"], sectors=counts["sectors"]
    )


@dataclass(frozen=True)
class BreakdownRow:
    """One line of a breakdown; `label` is empty for the folded row of small values."""

    label: str
    count: int


def protected_breakdown(
    *, user: AnyUser, by: Literal["organisation_kind", "region"]
) -> list[BreakdownRow]:
    """Protected challenges counted by the value their submitters revealed.

    A value shared by fewer than BREAKDOWN_THRESHOLD challenges is never named: those are
    folded into one row with an empty label, so no small group can be singled out.
    """
    protected = (
        challenge_scope(user).filter(is_protected=True).exclude(status=ChallengeStatus.DRAFT)
    )
    rows: list[BreakdownRow] = []
    folded = 0
    if by == "organisation_kind":
        labels = dict(OrganisationKind.choices)
        by_kind = (
            protected.exclude(revealed_organisation_kind="")
            .order_by()
            .values_list("revealed_organisation_kind")
            .annotate(count=Count("pk"))
        )
        pairs = [(str(labels.get(kind, "")), count) for kind, count in by_kind]
    else:
        regions = {
            category.pk: category.display_label
            for category in Category.objects.filter(typology__kind=TypologyKind.REGION)
        }
        by_region = (
            protected.exclude(revealed_region=None)
            .order_by()
            .values_list("revealed_region")
            .annotate(count=Count("pk"))
        )
        pairs = [(regions.get(region, ""), count) for region, count in by_region]
    for label, count in sorted(pairs, key=lambda pair: (-pair[1], pair[0])):
        if count >= BREAKDOWN_THRESHOLD:
            rows.append(BreakdownRow(label=label, count=count))
        else:
            folded += count
    if folded:
        rows.append(BreakdownRow(label="", count=folded))
    return rows


@dataclass(frozen=True)
class RevealedProfile:
    """What a reader may see of who raised a protected challenge."""

    organisation_kind: str
    region: str


def revealed_profile(*, user: AnyUser, challenge: Challenge) -> RevealedProfile:
    """The revealed organisation kind and region of a protected challenge, as far as shown.

    The triage roles, to whom the submitter revealed them, see both. Anyone else sees a value
    only when at least BREAKDOWN_THRESHOLD protected challenges share it, and both together
    only when that many share the pair, so the page cannot single out a small group.
    """
    kind = (
        challenge.get_revealed_organisation_kind_display()
        if challenge.revealed_organisation_kind
        else ""
    )
    region = challenge.revealed_region.display_label if challenge.revealed_region else ""
    if not challenge.is_protected or can_triage(user) or not (kind or region):
        return RevealedProfile(organisation_kind=kind, region=region)
    protected = Challenge.objects.filter(is_protected=True).exclude(status=ChallengeStatus.DRAFT)
    counts = protected.aggregate(
        kind=Count("pk", filter=Q(revealed_organisation_kind=challenge.revealed_organisation_kind)),
        region=Count("pk", filter=Q(revealed_region=challenge.revealed_region_id)),
        both=Count(
            "pk",
            filter=Q(
                revealed_organisation_kind=challenge.revealed_organisation_kind,
                revealed_region=challenge.revealed_region_id,
            ),
        ),
    )
    if kind and region and counts["both"] >= BREAKDOWN_THRESHOLD:
        return RevealedProfile(organisation_kind=kind, region=region)
    if kind and counts["kind"] >= BREAKDOWN_THRESHOLD:
        return RevealedProfile(organisation_kind=kind, region="")
    if region and counts["region"] >= BREAKDOWN_THRESHOLD:
        return RevealedProfile(organisation_kind="", region=region)
    return RevealedProfile(organisation_kind="", region="")


def user_endorsement(*, user: AnyUser, challenge: Challenge) -> Endorsement | None:
    if not user.is_authenticated:
        return None
    return challenge.endorsements.filter(user=user).first()


def user_follows(*, user: AnyUser, challenge: Challenge) -> bool:
    if not user.is_authenticated:
        return False
    return challenge.followers.filter(user=user).exists()


def owner_choices() -> QuerySet[User]:
    """The people a challenge can be given to: the coordinator and the secretariat."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            role__in=TRIAGE_ROLES, is_active=True, organisation__is_active=True
        ).values("user"),
    ).order_by("last_name", "first_name")
