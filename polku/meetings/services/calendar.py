"""Personal calendar feeds: one secret address per person, shown once, kept only as a hash
(docs/adr/0011-calendar-feeds.md)."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.core.permissions import is_insider
from polku.meetings.models import CalendarFeed

TOKEN_BYTES = 32
# A token is urlsafe base64 of TOKEN_BYTES: 43 characters, nothing else.
TOKEN_LENGTH = 43
# Calendar apps poll often; recording each poll would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=15)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _feed_snapshot(feed: CalendarFeed) -> dict[str, object]:
    return snapshot(feed, exclude=["token_hash"])


def calendar_feed_issue(*, actor: User) -> tuple[CalendarFeed, str]:
    """Creates the person's feed address, or replaces it (the old one stops working at once).

    Returns the feed and the secret token, which is never stored and cannot be shown again.
    """
    if not is_insider(actor):
        raise ValidationError(_("Only people with a role in Polku have a calendar feed."))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
        regenerated = feed is not None
        if feed is None:
            feed = CalendarFeed(user=actor)
        feed.token_hash = hash_token(token)
        feed.created_at = timezone.now()
        feed.last_used_at = None
        feed.save()
        audit_write(
            actor=actor,
            action=(
                "meetings.calendar_feed.regenerate"
                if regenerated
                else "meetings.calendar_feed.create"
            ),
            target=feed,
            after=_feed_snapshot(feed),
        )
    return feed, token


def calendar_feed_revoke(*, actor: User) -> None:
    """Removes the person's feed address; calendars using it get nothing from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
        if feed is None:
            raise ValidationError(_("You have no calendar feed to revoke."))
        audit_write(
            actor=actor,
            action="meetings.calendar_feed.revoke",
            target=feed,
            before=_feed_snapshot(feed),
        )
        feed.delete()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a presented token opens, if its owner may still use it; notes the use."""
    if len(token) != TOKEN_LENGTH:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if feed is None or not is_insider(feed.user):
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_RESOLUTION:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed
