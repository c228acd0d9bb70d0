"""E-mails about challenges, sent by the task worker after the change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.voice.choices import EventKind
from polku.voice.models import Challenge
from polku.voice.permissions import TRIAGE_ROLES


def _subjects() -> dict[str, str]:
    return {
        "new": _("New challenge %(reference)s: %(title)s"),
        EventKind.STATUS: _("%(reference)s is now “%(status)s”"),
        EventKind.ANSWER: _("%(reference)s has an official answer"),
        EventKind.OUTCOME: _("%(reference)s: an outcome was recorded"),
        EventKind.OWNER: _("You are now the owner of %(reference)s"),
        "comment": _("%(reference)s: a new comment"),
        "endorsement": _("%(reference)s: a new endorsement"),
    }


def recipients(challenge: Challenge, what: str) -> list[User]:
    """Who hears about a change: the submitter (never of a protected challenge), the owner,
    endorsers and followers; the triage roles hear about new challenges."""
    if what == "new":
        from polku.actors.models import Membership

        users = User.objects.filter(
            pk__in=Membership.objects.filter(
                role__in=TRIAGE_ROLES, is_active=True, organisation__is_active=True
            ).values("user")
        )
    elif what == EventKind.OWNER:
        users = User.objects.filter(pk__in=[challenge.owner_id] if challenge.owner_id else [])
    else:
        concerned = (
            Q(challenge_endorsements__challenge=challenge)
            | Q(followed_challenges__challenge=challenge)
            | Q(pk=challenge.owner_id)
        )
        if not challenge.is_protected and challenge.submitted_by_id is not None:
            concerned |= Q(pk=challenge.submitted_by_id)
        users = User.objects.filter(concerned)
    return list(users.filter(is_active=True).exclude(email="").distinct().order_by("pk"))


@task()
def notify_challenge_update(*, challenge_id: str, what: str, actor_id: int | None = None) -> int:
    """E-mails everyone concerned about a change to a challenge; returns how many were sent."""
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:
        return 0
    sent = 0
    link = settings.SITE_URL.rstrip("/") + challenge.get_absolute_url()
    for user in recipients(challenge, what):
        if user.pk == actor_id:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _subjects().get(what, _("%(reference)s was updated")) % {
                "reference": challenge.reference,
                "title": challenge.title,
                "status": challenge.get_status_display(),
            }
            body = _(
                "%(reference)s “%(title)s” has changed.\n\nRead it in Polku: %(link)s\n\n"
                "You receive this because you raised, own, endorse or follow the challenge."
            ) % {"reference": challenge.reference, "title": challenge.title, "link": link}
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
