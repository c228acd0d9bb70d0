"""Helpers that make guidelines, versions and consultation rounds directly, for tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.guidelines.choices import PUBLIC_STATUSES, GuidelineStatus
from polku.guidelines.models import (
    Comment,
    Consultation,
    Guideline,
    GuidelineAudience,
    GuidelineCategory,
    GuidelineChallenge,
    GuidelineText,
    GuidelineVersion,
    Invitation,
)
from polku.guidelines.paragraphs import paragraphs_for
from polku.taxonomy.models import Category
from polku.voice.models import Challenge

BODY = (
    "## Purpose\n\n"
    "This guideline tells first responders how to recognise possible victims of trafficking.\n\n"
    "Ask open questions in a quiet place, with an interpreter when needed.\n\n"
    "Refer the person to the assistance system without waiting for a crime report."
)

_counter = {"n": 0}


def make_guideline(
    *,
    organisation: Organisation,
    status: str = GuidelineStatus.DRAFT,
    title: str = "",
    body: str = BODY,
    language: str = "en",
    audiences: tuple[str, ...] = ("first_responders",),
    categories: tuple[Category, ...] = (),
    challenges: tuple[Challenge, ...] = (),
    created_by: User | None = None,
    extra_languages: dict[str, tuple[str, str]] | None = None,
    **fields: Any,
) -> Guideline:
    """A guideline with one version, written straight to the database in the given state."""
    _counter["n"] += 1
    title = title or f"Identifying victims of trafficking {_counter['n']}"
    guideline = Guideline.objects.create(
        slug=fields.pop("slug", slugify(title)[:70] + f"-{_counter['n']}"),
        title=title,
        language=language,
        organisation=organisation,
        status=status,
        scope=fields.pop("scope", "Everyone who may meet a victim in their work."),
        created_by=created_by,
        **fields,
    )
    version = GuidelineVersion.objects.create(
        guideline=guideline, number=1, created_by=created_by, created_at=timezone.now()
    )
    texts = {language: (title, body), **(extra_languages or {})}
    for code, (text_title, text_body) in texts.items():
        GuidelineText.objects.create(
            version=version,
            language=code,
            title=text_title,
            body=text_body,
            paragraphs=paragraphs_for(text_body),
        )
    guideline.current_version = version
    guideline.languages = ",".join(code for code in ("en", "fi", "sv") if code in texts)
    if status in PUBLIC_STATUSES:
        guideline.published_version = version
        guideline.published_at = timezone.now()
    guideline.save()
    GuidelineAudience.objects.bulk_create(
        GuidelineAudience(guideline=guideline, audience=audience) for audience in audiences
    )
    GuidelineCategory.objects.bulk_create(
        GuidelineCategory(guideline=guideline, category=category) for category in categories
    )
    GuidelineChallenge.objects.bulk_create(
        GuidelineChallenge(guideline=guideline, challenge=challenge) for challenge in challenges
    )
    return guideline


def make_consultation(
    *,
    guideline: Guideline,
    organisations: tuple[Organisation, ...] = (),
    people: tuple[User, ...] = (),
    days_left: int = 14,
    opened_by: User | None = None,
) -> Consultation:
    """An open round on the guideline's current version (ended when days_left is negative)."""
    assert guideline.current_version is not None
    consultation = Consultation.objects.create(
        guideline=guideline,
        version=guideline.current_version,
        number=guideline.consultations.count() + 1,
        deadline=timezone.localdate() + timedelta(days=days_left),
        opened_by=opened_by,
        opened_at=timezone.now(),
    )
    now = timezone.now()
    for organisation in organisations:
        Invitation.objects.create(
            consultation=consultation, organisation=organisation, invited_at=now
        )
    for person in people:
        Invitation.objects.create(consultation=consultation, user=person, invited_at=now)
    return consultation


def make_comment(
    *,
    consultation: Consultation,
    author: User,
    organisation: Organisation | None = None,
    paragraph: int | None = 0,
    language: str = "en",
    body: str = "Say who pays for the interpreter.",
    **fields: Any,
) -> Comment:
    """A comment on the paragraph at index `paragraph` (None: on the whole guideline)."""
    text = GuidelineText.objects.get(version=consultation.version, language=language)
    item = text.paragraphs[paragraph] if paragraph is not None else None
    return Comment.objects.create(
        consultation=consultation,
        author=author,
        organisation=organisation,
        version=consultation.version,
        language=language,
        paragraph_id=item["id"] if item else "",
        paragraph_position=(paragraph + 1) if paragraph is not None else None,
        paragraph_text=item["text"] if item else "",
        body=body,
        created_at=timezone.now(),
        **fields,
    )
