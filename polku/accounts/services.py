"""Writes to people's accounts."""

from django.db import transaction

from polku.accounts.models import User
from polku.audit.services import audit_write


def user_set_language(*, actor: User, user: User, language: str) -> User:
    """Stores a person's preferred interface language."""
    if user.preferred_language == language:
        return user
    with transaction.atomic():
        before = {"preferred_language": user.preferred_language}
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_write(
            actor=actor,
            action="accounts.user.set_language",
            target=user,
            before=before,
            after={"preferred_language": language},
        )
    return user
