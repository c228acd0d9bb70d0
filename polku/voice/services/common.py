"""What the voice services share: input, refusals, references, clocks and notifications."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.voice.choices import ChallengeStatus
from polku.voice.followup import ALPHABET
from polku.voice.models import Challenge, ChallengeCategory
from polku.voice.permissions import PARTICIPANT_ROLES
from polku.voice.personal_data import Finding, FindingKind, find_personal_data
from polku.voice.working_days import add_working_days

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
COMMENT_MAX = 5_000
REFERENCE_LENGTH = 5

# Fields of a challenge whose text stays out of the audit log: text may hold personal data
# that an append-only log could never erase, and it would let a protected challenge be
# matched with a draft of the same words.
TEXT_FIELDS = ("title", "description")


@dataclass(frozen=True)
class ChallengeInput:
    """What a practitioner writes when raising a challenge."""

    title: str
    description: str = ""
    region: Category | None = None
    urgency: str = "normal"
    language: str = "en"
    sectors: Sequence[Category] = field(default_factory=tuple)
    exploitation_forms: Sequence[Category] = field(default_factory=tuple)
    affected_groups: Sequence[Category] = field(default_factory=tuple)

    @property
    def categories(self) -> list[Category]:
        return [*self.sectors, *self.exploitation_forms, *self.affected_groups]


FINDING_MESSAGES: dict[str, Promise] = {
    FindingKind.NAME: _(
        "Remove the name “%(text)s”, or write a role instead, such as “the client”."
    ),
    FindingKind.PHONE: _("Remove the phone number “%(text)s”."),
    FindingKind.EMAIL: _("Remove the e-mail address “%(text)s”."),
    FindingKind.IDENTITY_CODE: _("Remove the personal identity code “%(text)s”."),
    FindingKind.DATE_OF_BIRTH: _(
        "Remove the date “%(text)s”: a full date can be a date of birth. Give the month or "
        "the year instead."
    ),
    FindingKind.ADDRESS: _(
        "Remove the street address “%(text)s”: name the municipality or the region instead."
    ),
}


@dataclass(frozen=True)
class FieldFinding:
    """A piece of personal data and the field it was found in."""

    field: str
    finding: Finding

    @property
    def message(self) -> str:
        return str(FINDING_MESSAGES[self.finding.kind]) % {"text": self.finding.text}


class PersonalDataFound(ValidationError):
    """Refuses text that holds personal data, listing every finding by field."""

    def __init__(self, findings: list[FieldFinding]) -> None:
        self.findings = findings
        messages: dict[str, list[str]] = {}
        for item in findings:
            messages.setdefault(item.field, []).append(item.message)
        super().__init__(messages)


def check_personal_data(**texts: str) -> None:
    """Raises PersonalDataFound if any of the named texts holds personal data."""
    findings = [
        FieldFinding(field=name, finding=finding)
        for name, text in texts.items()
        for finding in find_personal_data(text)
    ]
    if findings:
        raise PersonalDataFound(findings)


def clean_comment_body(body: str) -> str:
    """A comment's text, trimmed, refused when empty, too long or holding personal data."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("Keep the comment to 5,000 characters.")})
    check_personal_data(body=body)
    return body


def require_permission(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def validate_input(data: ChallengeInput, *, complete: bool) -> None:
    """Checks lengths and categories; a complete challenge also needs a description and a sector."""
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [str(_("Give the challenge a short title."))]
    elif len(data.title) > TITLE_MAX:
        errors["title"] = [str(_("Keep the title to 200 characters."))]
    if len(data.description) > DESCRIPTION_MAX:
        errors["description"] = [str(_("Keep the description to 10,000 characters."))]
    elif complete and not data.description.strip():
        errors["description"] = [str(_("Describe the challenge and how you meet it."))]
    if complete and not data.sectors:
        errors["sectors"] = [str(_("Choose at least one sector the challenge concerns."))]
    kinds = (
        ("sectors", data.sectors, TypologyKind.SECTOR),
        ("exploitation_forms", data.exploitation_forms, TypologyKind.EXPLOITATION_FORM),
        ("affected_groups", data.affected_groups, TypologyKind.AFFECTED_GROUP),
        ("region", [data.region] if data.region else [], TypologyKind.REGION),
    )
    for name, categories, kind in kinds:
        for category in categories:
            if not _is_current(category, kind):
                errors.setdefault(name, []).append(
                    str(
                        _("“%(category)s” is not one of the current choices.")
                        % {"category": category}
                    )
                )
    if data.urgency not in {"low", "normal", "high"}:
        errors["urgency"] = [str(_("Choose an urgency."))]
    if data.language not in dict(settings.LANGUAGES):
        errors["language"] = [str(_("Choose a language."))]
    if errors:
        raise ValidationError(errors)


def _is_current(category: Category, kind: str) -> bool:
    typology = category.typology
    return typology.kind == kind and typology.is_current


def set_categories(challenge: Challenge, categories: Sequence[Category]) -> None:
    wanted = {category.pk for category in categories}
    existing = set(challenge.category_links.values_list("category_id", flat=True))
    challenge.category_links.exclude(category_id__in=wanted).delete()
    ChallengeCategory.objects.bulk_create(
        ChallengeCategory(challenge=challenge, category_id=pk) for pk in wanted - existing
    )


def apply_input(challenge: Challenge, data: ChallengeInput) -> list[str]:
    """Copies the input onto the challenge; returns the names of the fields that changed."""
    changed = []
    values = {
        "title": data.title.strip(),
        "description": data.description.strip(),
        "region": data.region,
        "urgency": data.urgency,
        "language": data.language,
    }
    for name, value in values.items():
        if getattr(challenge, name) != value:
            setattr(challenge, name, value)
            changed.append(name)
    return changed


def new_reference(year: int) -> str:
    """A reference such as CH-2026-K7Q2X: random, so it orders nothing."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_LENGTH))
        reference = f"CH-{year}-{code}"
        if not Challenge.objects.filter(reference=reference).exists():
            return reference


def new_sort_key() -> int:
    return secrets.randbelow(2**62)


def start_clocks(challenge: Challenge, submitted_on: date) -> None:
    challenge.submitted_on = submitted_on
    challenge.acknowledge_due_on = add_working_days(submitted_on, settings.POLKU_VOICE_ACK_DAYS)
    challenge.answer_due_on = add_working_days(submitted_on, settings.POLKU_VOICE_ANSWER_DAYS)


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def organisation_of(user: User) -> Organisation | None:
    """The organisation a person acts for in Voice: their practitioner membership first."""
    memberships = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=PARTICIPANT_ROLES
    ).select_related("organisation")
    ordered = sorted(memberships, key=lambda membership: (membership.role != "practitioner",))
    return ordered[0].organisation if ordered else None


def actor_label(user: User) -> str:
    organisation = organisation_of(user)
    name = str(user)
    return f"{name} ({organisation.name})" if organisation else name


def notify_after_commit(challenge: Challenge, what: str, *, actor: User | None) -> None:
    """Tells the people concerned: in the app with this transaction, by e-mail after commit."""
    from polku.voice.services.triage import challenge_notify

    challenge_notify(challenge=challenge, what=what, actor=actor)


def refuse_unless_submitted(challenge: Challenge) -> None:
    if challenge.status == ChallengeStatus.DRAFT:
        raise ValidationError(_("This challenge is still a draft."))
    if challenge.status == ChallengeStatus.MERGED:
        raise ValidationError(
            _("This challenge was merged into %(reference)s; continue there.")
            % {"reference": challenge.merged_into.reference if challenge.merged_into else "—"}
        )
