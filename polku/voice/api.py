"""Challenges in the JSON API: partner systems submit challenges and read the answers."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from polku.accounts.models import User
from polku.api.auth import api_auth
from polku.api.errors import error_body
from polku.api.models import ApiToken
from polku.api.schemas import ERROR_RESPONSES, InputSchema, PageQuery
from polku.api.scopes import register_scope
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_choices
from polku.voice import selectors
from polku.voice.choices import ChallengeStatus, EventKind, Urgency
from polku.voice.models import Challenge, Endorsement, StatusEvent
from polku.voice.permissions import PARTICIPANT_ROLES
from polku.voice.services import ChallengeInput, PersonalDataFound, challenge_submit
from polku.voice.services.partner import challenge_submit_for_organisation

CHALLENGES_READ = register_scope(
    "challenges:read", gettext_lazy("Read challenges, their status and official answers")
)
CHALLENGES_WRITE = register_scope(
    "challenges:write",
    gettext_lazy("Submit challenges on behalf of the organisation"),
    session_roles=PARTICIPANT_ROLES,
)

router = Router()


class AnswerOut(Schema):
    text: str = Field(description="The official answer, as the submitter reads it.")
    given_at: datetime


class ChallengeOut(Schema):
    id: UUID
    reference: str = Field(description="The reference people quote, such as CH-2026-K7Q2X.")
    title: str
    description: str
    language: str = Field(description="The language the text is written in: en, fi or sv.")
    status: ChallengeStatus
    urgency: Urgency
    sectors: list[str] = Field(description="Codes of the sectors concerned.")
    exploitation_forms: list[str] = Field(description="Codes of the forms of exploitation.")
    affected_groups: list[str] = Field(description="Codes of the affected groups.")
    region: str | None = Field(description="Code of the region, if given.")
    submitted_on: date
    updated_at: datetime | None = Field(
        description="When the challenge last changed; empty until the secretariat acts on "
        "a protected challenge."
    )
    endorsement_count: int
    answers: list[AnswerOut] = Field(description="The official answers, oldest first.")


class ChallengePage(Schema):
    count: int = Field(description="How many challenges match, across all pages.")
    limit: int
    offset: int
    items: list[ChallengeOut]


class ChallengeQuery(PageQuery):
    status: ChallengeStatus | None = Field(None, description="Only challenges in this status.")
    updated_since: datetime | None = Field(
        None,
        description="Only challenges changed at or after this time (ISO 8601). A protected "
        "challenge the secretariat has not acted on counts from the start of its day.",
    )


class ChallengeIn(InputSchema):
    title: str = Field(description="One line that names the problem (at most 200 characters).")
    description: str = Field(
        description="What happens and how often (at most 10,000 characters). Checked for "
        "personal data: names, phone numbers, e-mail addresses, identity codes, full dates "
        "and street addresses are refused."
    )
    sectors: list[str] = Field(description="Codes of the sectors concerned; at least one.")
    exploitation_forms: list[str] = Field(
        default_factory=list, description="Codes of the forms of exploitation."
    )
    affected_groups: list[str] = Field(
        default_factory=list, description="Codes of the affected groups."
    )
    region: str | None = Field(None, description="Code of the region.")
    urgency: Urgency = Urgency.NORMAL
    language: str = Field("en", description="The language of the text: en, fi or sv.")


def _endorsement_count() -> Coalesce:
    counted = (
        Endorsement.objects.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _readable(request: HttpRequest) -> QuerySet[Challenge]:
    """Submitted challenges, through the list selector for people.

    A token acts for an active organisation, which reads submitted challenges as any insider
    does; no field of the answer says who raised one.
    """
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, User):
        challenges = selectors.challenge_list(user=caller, include_merged=True)
    else:
        challenges = Challenge.objects.exclude(status=ChallengeStatus.DRAFT).annotate(
            endorsement_count=_endorsement_count()
        )
    return (
        challenges.select_related(None)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=Category.objects.select_related("typology").order_by("order", "code"),
            ),
            Prefetch(
                "events",
                queryset=StatusEvent.objects.filter(
                    kind=EventKind.ANSWER, visible_to_submitter=True
                ).order_by("created_at"),
                to_attr="answer_events",
            ),
        )
        .select_related("region")
        .order_by("-submitted_on", "sort_key", "pk")
    )


def _out(challenge: Challenge) -> dict[str, Any]:
    codes: dict[str, list[str]] = {kind: [] for kind in TypologyKind.values}
    for category in challenge.categories.all():
        codes.setdefault(category.typology.kind, []).append(category.code)
    return {
        "id": challenge.pk,
        "reference": challenge.reference,
        "title": challenge.title,
        "description": challenge.description,
        "language": challenge.language,
        "status": challenge.status,
        "urgency": challenge.urgency,
        "sectors": codes[TypologyKind.SECTOR],
        "exploitation_forms": codes[TypologyKind.EXPLOITATION_FORM],
        "affected_groups": codes[TypologyKind.AFFECTED_GROUP],
        "region": challenge.region.code if challenge.region else None,
        "submitted_on": challenge.submitted_on,
        "updated_at": challenge.updated_at,
        "endorsement_count": challenge.endorsement_count,  # type: ignore[attr-defined]
        "answers": [
            {"text": event.note, "given_at": event.created_at}
            for event in challenge.answer_events  # type: ignore[attr-defined]
        ],
    }


@router.get(
    "",
    auth=api_auth(CHALLENGES_READ.code),
    response={200: ChallengePage, **ERROR_RESPONSES},
    summary="List challenges",
    description="Submitted challenges with their status and official answers, newest first. "
    "Requires the scope `challenges:read`.",
)
def list_challenges(request: HttpRequest, filters: Query[ChallengeQuery]) -> dict[str, Any]:
    challenges = _readable(request)
    if filters.status:
        challenges = challenges.filter(status=filters.status)
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        challenges = challenges.filter(
            Q(updated_at__gte=since) | Q(updated_at=None, submitted_on__gte=since.date())
        )
    page = challenges[filters.offset : filters.offset + filters.limit]
    return {
        "count": challenges.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(challenge) for challenge in page],
    }


def _categories(
    codes: list[str], kind: str, field: str, errors: dict[str, list[str]]
) -> list[Category]:
    found = {category.code: category for category in category_choices(kind=kind)}
    for code in codes:
        if code not in found:
            errors.setdefault(field, []).append(
                _("“%(code)s” is not one of the current choices.") % {"code": code}
            )
    return [found[code] for code in dict.fromkeys(codes) if code in found]


def _input(payload: ChallengeIn) -> ChallengeInput | dict[str, list[str]]:
    """The service's input from the request, or the unknown category codes by field."""
    errors: dict[str, list[str]] = {}
    sectors = _categories(payload.sectors, TypologyKind.SECTOR, "sectors", errors)
    forms = _categories(
        payload.exploitation_forms, TypologyKind.EXPLOITATION_FORM, "exploitation_forms", errors
    )
    groups = _categories(
        payload.affected_groups, TypologyKind.AFFECTED_GROUP, "affected_groups", errors
    )
    region = None
    if payload.region:
        regions = _categories([payload.region], TypologyKind.REGION, "region", errors)
        region = regions[0] if regions else None
    if errors:
        return errors
    return ChallengeInput(
        title=payload.title,
        description=payload.description,
        region=region,
        urgency=payload.urgency,
        language=payload.language,
        sectors=sectors,
        exploitation_forms=forms,
        affected_groups=groups,
    )


def _field_errors(errors: dict[str, list[str]], kind: str = "invalid") -> list[dict[str, str]]:
    return [
        {"location": "body", "field": field, "message": message, "type": kind}
        for field, messages in errors.items()
        for message in messages
    ]


@router.post(
    "",
    auth=api_auth(CHALLENGES_WRITE.code),
    response={201: ChallengeOut, **ERROR_RESPONSES},
    summary="Submit a challenge",
    description="Submits a challenge on behalf of the token's organisation; no person is "
    "named as its author. The text is checked for personal data as on the raise form: "
    "each finding is returned as a field error of type `personal_data` and nothing is "
    "submitted. Requires the scope `challenges:write`.",
)
def submit_challenge(request: HttpRequest, payload: ChallengeIn) -> Status[Any]:
    data = _input(payload)
    if isinstance(data, dict):
        return Status(
            422,
            error_body(
                "validation_error",
                _("The request was refused."),
                errors=_field_errors(data),
            ),
        )
    caller = request.auth  # type: ignore[attr-defined]
    try:
        if isinstance(caller, ApiToken):
            challenge = challenge_submit_for_organisation(token=caller, data=data)
        else:
            challenge = challenge_submit(actor=caller, data=data)
    except PersonalDataFound as error:
        return Status(
            422,
            error_body(
                "personal_data",
                _("The text holds personal data. Remove each finding and send it again."),
                errors=[
                    {
                        "location": "body",
                        "field": item.field,
                        "message": item.message,
                        "type": "personal_data",
                    }
                    for item in error.findings
                ],
            ),
        )
    return Status(201, _out(_readable(request).get(pk=challenge.pk)))
