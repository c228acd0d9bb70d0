"""Helpers that make challenges and their parts directly, for tests that need many rows."""

import secrets
from typing import Any

from django.utils import timezone

from polku.accounts.models import User
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_get
from polku.voice.choices import ChallengeStatus
from polku.voice.models import (
    Challenge,
    ChallengeCategory,
    Comment,
    Endorsement,
    StatusEvent,
)
from polku.voice.services import ChallengeInput


def category(kind: str, code: str) -> Category:
    found = category_get(kind=kind, code=code)
    assert found is not None, (kind, code)
    return found


def sector(code: str = "police") -> Category:
    return category(TypologyKind.SECTOR, code)


def exploitation_form(code: str = "forced_labour") -> Category:
    return category(TypologyKind.EXPLOITATION_FORM, code)


def region(code: str = "uusimaa") -> Category:
    return category(TypologyKind.REGION, code)


def challenge_input(**overrides: Any) -> ChallengeInput:
    """A clean, complete challenge text."""
    values: dict[str, Any] = {
        "title": "Labour inspectors cannot share findings with the police quickly enough",
        "description": (
            "When an inspection reveals signs of forced labour, the findings reach the police "
            "only weeks later, and by then the workers have been moved elsewhere."
        ),
        "sectors": [sector("labour_inspection"), sector("police")],
        "exploitation_forms": [exploitation_form("forced_labour")],
        "region": region("uusimaa"),
    }
    values.update(overrides)
    return ChallengeInput(**values)


def make_challenge(
    *,
    submitted_by: User | None = None,
    status: str = ChallengeStatus.RECEIVED,
    is_protected: bool = False,
    categories: list[Category] | None = None,
    **fields: Any,
) -> Challenge:
    """A submitted challenge written straight to the database."""
    today = timezone.localdate()
    challenge = Challenge.objects.create(
        title=fields.pop("title", "Interpreters are not available at night"),
        description=fields.pop("description", "Victims wait until morning to be heard."),
        status=status,
        is_protected=is_protected,
        submitted_by=None if is_protected else submitted_by,
        reference=fields.pop("reference", f"CH-{today.year}-{secrets.token_hex(3).upper()}"),
        submitted_on=fields.pop("submitted_on", today),
        sort_key=secrets.randbelow(2**62),
        **fields,
    )
    for item in categories if categories is not None else [sector("police")]:
        ChallengeCategory.objects.create(challenge=challenge, category=item)
    StatusEvent.objects.create(
        challenge=challenge,
        kind="submitted",
        to_status=ChallengeStatus.RECEIVED,
        actor=challenge.submitted_by,
        actor_label=str(challenge.submitted_by or ""),
        created_at=timezone.now(),
    )
    return challenge


def make_endorsement(*, challenge: Challenge, user: User, **fields: Any) -> Endorsement:
    return Endorsement.objects.create(
        challenge=challenge, user=user, created_at=timezone.now(), **fields
    )


def make_comment(*, challenge: Challenge, author: User, body: str = "Same here.") -> Comment:
    return Comment.objects.create(
        challenge=challenge, author=author, body=body, created_at=timezone.now()
    )
