"""Writing guidelines: details, texts in versions, and the moves of the lifecycle."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Body
from polku.audit.services import audit_write, snapshot
from polku.guidelines.choices import Audience, EventKind, GuidelineStatus
from polku.guidelines.models import (
    Consultation,
    Guideline,
    GuidelineAudience,
    GuidelineCategory,
    GuidelineChallenge,
    GuidelineText,
    GuidelineVersion,
    Subscription,
)
from polku.guidelines.paragraphs import Paragraph, paragraphs_for
from polku.guidelines.permissions import can_draft, can_subscribe
from polku.guidelines.services.common import (
    BODY_MAX,
    NOTE_MAX,
    SCOPE_MAX,
    TITLE_MAX,
    GuidelineInput,
    clean_text,
    locked,
    move,
    record_event,
    require_permission,
    tell_subscribers,
)
from polku.meetings.models import Decision
from polku.taxonomy.choices import TypologyKind
from polku.voice.choices import ChallengeStatus

DETAIL_FIELDS = ["title", "language", "scope", "organisation", "replaces", "status"]
LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


def _validate_input(data: GuidelineInput, *, guideline: Guideline | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if not data.organisation.is_active:
        errors["organisation"] = [_("Choose an organisation that takes part in the coordination.")]
    if len(data.scope) > SCOPE_MAX:
        errors["scope"] = [_("Keep the scope to 2,000 characters.")]
    if not data.audiences:
        errors["audiences"] = [_("Choose at least one audience the guideline is written for.")]
    elif any(audience not in Audience.values for audience in data.audiences):
        errors["audiences"] = [_("Choose the audiences from the list.")]
    if data.language not in LANGUAGE_ORDER:
        errors["language"] = [_("Choose a language.")]
    elif guideline is not None and data.language not in guideline.language_list:
        errors["language"] = [_("Write the text in this language before making it the main one.")]
    kinds = (
        ("sectors", data.sectors, TypologyKind.SECTOR),
        ("exploitation_forms", data.exploitation_forms, TypologyKind.EXPLOITATION_FORM),
    )
    for name, categories, kind in kinds:
        for category in categories:
            if category.typology.kind != kind or not category.typology.is_current:
                errors.setdefault(name, []).append(
                    _("“%(category)s” is not one of the current choices.") % {"category": category}
                )
    for challenge in data.challenges:
        if challenge.status == ChallengeStatus.DRAFT:
            errors.setdefault("challenges", []).append(
                _("A draft challenge cannot be linked; it has not been submitted.")
            )
    if data.replaces is not None:
        if guideline is not None and data.replaces.pk == guideline.pk:
            errors["replaces"] = [_("A guideline cannot replace itself.")]
        elif data.replaces.status != GuidelineStatus.PUBLISHED:
            errors["replaces"] = [_("Only a published guideline can be replaced.")]
    if errors:
        raise ValidationError(errors)


def _validate_text(*, language: str, title: str, body: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGE_ORDER:
        errors["language"] = [_("Choose a language.")]
    title = title.strip()
    if not title:
        errors["title"] = [_("Give the guideline a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the title to 200 characters.")]
    body = body.replace("\r\n", "\n").strip()
    if not body:
        errors["body"] = [_("Write the text of the guideline.")]
    elif len(body) > BODY_MAX:
        errors["body"] = [_("Keep the text to 200,000 characters.")]
    if errors:
        raise ValidationError(errors)
    return title, body


# Addresses the library's own pages use; a guideline never takes one.
RESERVED_SLUGS = frozenset({"work", "new"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "guideline"
    if base in RESERVED_SLUGS:
        base = f"{base}-guideline"
    slug, counter = base, 2
    while Guideline.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _apply_links(guideline: Guideline, data: GuidelineInput) -> None:
    wanted_audiences = set(data.audiences)
    guideline.audiences.exclude(audience__in=wanted_audiences).delete()
    existing = set(guideline.audiences.values_list("audience", flat=True))
    GuidelineAudience.objects.bulk_create(
        GuidelineAudience(guideline=guideline, audience=audience)
        for audience in sorted(wanted_audiences - existing)
    )
    wanted_categories = {category.pk for category in data.categories}
    guideline.category_links.exclude(category_id__in=wanted_categories).delete()
    existing_categories = set(guideline.category_links.values_list("category_id", flat=True))
    GuidelineCategory.objects.bulk_create(
        GuidelineCategory(guideline=guideline, category_id=pk)
        for pk in sorted(wanted_categories - existing_categories)
    )
    wanted_challenges = {challenge.pk for challenge in data.challenges}
    guideline.challenge_links.exclude(challenge_id__in=wanted_challenges).delete()
    existing_challenges = set(guideline.challenge_links.values_list("challenge_id", flat=True))
    GuidelineChallenge.objects.bulk_create(
        GuidelineChallenge(guideline=guideline, challenge_id=pk)
        for pk in sorted(wanted_challenges - existing_challenges, key=str)
    )


def _links_snapshot(guideline: Guideline) -> dict[str, list[str]]:
    return {
        "audiences": sorted(guideline.audiences.values_list("audience", flat=True)),
        "categories": sorted(str(pk) for pk in guideline.category_links.values_list("category_id", flat=True)),
        "challenges": sorted(str(pk) for pk in guideline.challenge_links.values_list("challenge_id", flat=True)),
    }  # fmt: skip


def _write_version(
    *,
    actor: User,
    guideline: Guideline,
    language: str,
    title: str,
    body: str,
    note: str,
) -> GuidelineVersion:
    """Writes a new version with this language's text; the other languages carry over."""
    previous: dict[str, GuidelineText] = {}
    if guideline.current_version_id is not None:
        previous = {
            text.language: text
            for text in GuidelineText.objects.filter(version_id=guideline.current_version_id)
        }
    last = guideline.versions.order_by("-number").values_list("number", flat=True).first()
    version = GuidelineVersion.objects.create(
        guideline=guideline,
        number=(last or 0) + 1,
        note=note,
        created_by=actor,
        created_at=timezone.now(),
    )
    earlier: list[Paragraph] = previous[language].paragraphs if language in previous else []
    texts = [
        GuidelineText(
            version=version,
            language=language,
            title=title,
            body=body,
            paragraphs=paragraphs_for(body, earlier),
        )
    ]
    for other, text in previous.items():
        if other != language:
            texts.append(
                GuidelineText(
                    version=version,
                    language=other,
                    title=text.title,
                    body=text.body,
                    paragraphs=text.paragraphs,
                )
            )
    GuidelineText.objects.bulk_create(texts)
    languages = {text.language for text in texts}
    guideline.languages = ",".join(code for code in LANGUAGE_ORDER if code in languages)
    guideline.current_version = version
    if language == guideline.language:
        guideline.title = title
    return version


@transaction.atomic
def guideline_create(
    *, actor: User, data: GuidelineInput, title: str, body: str, note: str = ""
) -> Guideline:
    """Starts a draft guideline with its first version, in its main language."""
    require_permission(can_draft(actor))
    _validate_input(data)
    title, body = _validate_text(language=data.language, title=title, body=body)
    note = clean_text(note, field_name="note", limit=NOTE_MAX)
    guideline = Guideline.objects.create(
        slug=_unique_slug(title),
        title=title,
        language=data.language,
        scope=data.scope.strip(),
        organisation=data.organisation,
        replaces=data.replaces,
        created_by=actor,
        updated_by=actor,
    )
    _apply_links(guideline, data)
    _write_version(
        actor=actor,
        guideline=guideline,
        language=data.language,
        title=title,
        body=body,
        note=note or _("First draft"),
    )
    guideline.save()
    record_event(guideline, EventKind.CREATED, actor=actor)
    audit_write(
        actor=actor,
        action="guidelines.guideline.create",
        target=guideline,
        after={**snapshot(guideline, DETAIL_FIELDS), **_links_snapshot(guideline)},
    )
    return guideline


@transaction.atomic
def guideline_update(*, actor: User, guideline: Guideline, data: GuidelineInput) -> Guideline:
    """Changes the scope, audiences, organisation and links until the guideline is published."""
    from polku.guidelines.permissions import can_edit_details

    guideline = locked(guideline)
    require_permission(can_edit_details(actor, guideline))
    _validate_input(data, guideline=guideline)
    before = {**snapshot(guideline, DETAIL_FIELDS), **_links_snapshot(guideline)}
    guideline.scope = data.scope.strip()
    guideline.organisation = data.organisation
    guideline.replaces = data.replaces
    if data.language != guideline.language:
        guideline.language = data.language
        main = GuidelineText.objects.filter(
            version_id=guideline.current_version_id, language=data.language
        ).first()
        if main is not None:
            guideline.title = main.title
    guideline.updated_by = actor
    guideline.save()
    _apply_links(guideline, data)
    audit_write(
        actor=actor,
        action="guidelines.guideline.update",
        target=guideline,
        before=before,
        after={**snapshot(guideline, DETAIL_FIELDS), **_links_snapshot(guideline)},
    )
    return guideline


@transaction.atomic
def guideline_save_text(
    *,
    actor: User,
    guideline: Guideline,
    language: str,
    title: str,
    body: str,
    note: str = "",
) -> GuidelineVersion:
    """Saves a language's text as a new version; paragraphs keep their ids where they continue."""
    from polku.guidelines.permissions import can_edit

    guideline = locked(guideline)
    require_permission(can_edit(actor, guideline))
    title, body = _validate_text(language=language, title=title, body=body)
    note = clean_text(note, field_name="note", limit=NOTE_MAX)
    current = GuidelineText.objects.filter(
        version_id=guideline.current_version_id, language=language
    ).first()
    if current is not None and current.title == title and current.body == body:
        raise ValidationError({"body": _("Nothing has changed since the last version.")})
    version = _write_version(
        actor=actor, guideline=guideline, language=language, title=title, body=body, note=note
    )
    guideline.updated_by = actor
    guideline.save()
    record_event(
        guideline,
        EventKind.VERSION,
        actor=actor,
        note=_("Version %(number)s (%(language)s)")
        % {"number": version.number, "language": language}
        + (f": {note}" if note else ""),
    )
    audit_write(
        actor=actor,
        action="guidelines.guideline.save_text",
        target=guideline,
        after={"version": version.number, "language": language, "title": title},
    )
    number = version.number
    title_now = guideline.title
    tell_subscribers(
        guideline,
        title=lambda: (
            _("New version %(number)s of the guideline “%(title)s”")
            % {"number": number, "title": title_now}
        ),
        actor=actor,
    )
    return version


def _round_is_finished(guideline: Guideline) -> None:
    latest = guideline.consultations.order_by("-number").first()
    if latest is None:
        return
    if latest.is_open:
        raise ValidationError(
            _("The consultation is open until %(deadline)s; answer the comments after it ends.")
            % {"deadline": latest.deadline.strftime("%d.%m.%Y")}
        )
    unanswered = latest.comments.filter(response="").count()
    if unanswered:
        raise ValidationError(
            _("Answer every comment of the consultation first (%(count)s still unanswered).")
            % {"count": unanswered}
        )


@transaction.atomic
def guideline_revise(*, actor: User, guideline: Guideline, note: str = "") -> Guideline:
    """Starts revising: after a consultation whose comments are all answered, or after approval."""
    guideline = locked(guideline)
    require_permission(can_draft(actor))
    if guideline.status == GuidelineStatus.CONSULTATION:
        _round_is_finished(guideline)
    from_status = move(guideline, GuidelineStatus.REVISED, actor=actor, note=note.strip())
    if from_status == GuidelineStatus.APPROVED:
        guideline.approved_on = None
        guideline.approved_by_body = None
        guideline.approval_decision = None
        guideline.approval_note = ""
    guideline.updated_by = actor
    guideline.save()
    audit_write(
        actor=actor,
        action="guidelines.guideline.revise",
        target=guideline,
        before={"status": from_status},
        after={"status": guideline.status},
    )
    _tell_status(guideline, actor=actor)
    return guideline


@transaction.atomic
def guideline_approve(
    *,
    actor: User,
    guideline: Guideline,
    approved_on: date | None = None,
    body: Body | None = None,
    decision: Decision | None = None,
    note: str = "",
) -> Guideline:
    """Records approval, optionally as a body's decision from its minutes."""
    guideline = locked(guideline)
    require_permission(can_draft(actor))
    errors: dict[str, list[str]] = {}
    if decision is not None:
        if body is not None and body.pk != decision.body_id:
            errors["body"] = [_("The decision was made by another body.")]
        body = decision.body
        approved_on = approved_on or decision.decided_on
    if approved_on is None:
        errors["approved_on"] = [_("Give the date of approval.")]
    elif approved_on > timezone.localdate():
        errors["approved_on"] = [_("The date of approval cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    note = clean_text(note, field_name="note", limit=2_000)
    from_status = move(guideline, GuidelineStatus.APPROVED, actor=actor, note=note)
    guideline.approved_on = approved_on
    guideline.approved_by_body = body
    guideline.approval_decision = decision
    guideline.approval_note = note
    guideline.updated_by = actor
    guideline.save()
    audit_write(
        actor=actor,
        action="guidelines.guideline.approve",
        target=guideline,
        before={"status": from_status},
        after=snapshot(
            guideline,
            ["status", "approved_on", "approved_by_body", "approval_decision", "approval_note"],
        ),
    )
    _tell_status(guideline, actor=actor)
    return guideline


@transaction.atomic
def guideline_withdraw(*, actor: User, guideline: Guideline, reason: str) -> Guideline:
    """Withdraws a guideline for good; the reason is shown at its address."""
    guideline = locked(guideline)
    require_permission(can_draft(actor))
    reason = clean_text(
        reason,
        field_name="reason",
        limit=2_000,
        required_message=_("Say why the guideline is withdrawn."),
    )
    from_status = move(guideline, GuidelineStatus.WITHDRAWN, actor=actor, note=reason)
    guideline.withdrawn_at = timezone.now()
    guideline.withdrawn_reason = reason
    guideline.updated_by = actor
    guideline.save()
    audit_write(
        actor=actor,
        action="guidelines.guideline.withdraw",
        target=guideline,
        before={"status": from_status},
        after={"status": guideline.status, "reason": reason},
    )
    _tell_status(guideline, actor=actor)
    return guideline


def _tell_status(guideline: Guideline, *, actor: User) -> None:
    title = guideline.title
    status = guideline.status

    def text() -> str:
        return _("The guideline “%(title)s” is now “%(status)s”") % {
            "title": title,
            "status": GuidelineStatus(status).label,
        }

    tell_subscribers(guideline, title=text, actor=actor)


@transaction.atomic
def guideline_subscribe(*, actor: User, guideline: Guideline) -> Subscription:
    """Tells the actor whenever the guideline changes (the caller checked they can read it)."""
    require_permission(can_subscribe(actor))
    subscription, created = Subscription.objects.get_or_create(
        guideline=guideline, user=actor, defaults={"created_at": timezone.now()}
    )
    if created:
        audit_write(actor=actor, action="guidelines.guideline.subscribe", target=guideline)
    return subscription


@transaction.atomic
def guideline_unsubscribe(*, actor: User, guideline: Guideline) -> None:
    deleted, _rows = Subscription.objects.filter(guideline=guideline, user=actor).delete()
    if deleted:
        audit_write(actor=actor, action="guidelines.guideline.unsubscribe", target=guideline)


def latest_round(guideline: Guideline) -> Consultation | None:
    return guideline.consultations.order_by("-number").first()
