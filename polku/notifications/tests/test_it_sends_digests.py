"""The daily digest: one e-mail per person who chose it, each notification mailed once."""

import uuid
from collections.abc import Sequence
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conftest import Personas
from polku.accounts.models import User
from polku.actors.tests.factories import make_user
from polku.notifications import tasks
from polku.notifications.choices import EmailDelivery
from polku.notifications.models import Notification, NotificationPreference
from polku.notifications.services import notify
from polku.notifications.tasks import digests_send, email_text, notifications_send_digests

SITE = "https://polku.example"
THIS_MODULE = "polku.notifications.tests.test_it_sends_digests"
# Addresses the refusing backend will not deliver to; every other message goes to the outbox.
REFUSED: set[str] = set()


class RefusingBackend(LocmemBackend):
    """A mail server that refuses the addresses in REFUSED."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            if set(message.to) & REFUSED:
                raise ConnectionError("The mail server refused the message.")
        return int(super().send_messages(messages))


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE


def _digest(user: User) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": EmailDelivery.DAILY_DIGEST}
    )


def _notify(user: User, title: str, **overrides: Any) -> Notification:
    values: dict[str, Any] = {
        "recipients": [user],
        "kind": "test.event",
        "title": title,
        "body": f"What happened: {title}.",
        "url": f"/voice/{title.lower().replace(' ', '-')}/",
    }
    values.update(overrides)
    return notify(**values)[0]


def _run() -> str:
    out = StringIO()
    call_command("notifications_send_digests", stdout=out)
    return out.getvalue().strip()


def test_it_groups_a_persons_notifications_into_one_email(personas: Personas) -> None:
    """Three notifications make one e-mail listing each title, text and absolute link, newest
    first, with links to all notifications and to the settings; all three are marked mailed."""
    _digest(personas.ngo)
    for title in ["Oldest news", "Middle news", "Newest news"]:
        _notify(personas.ngo, title)
    _notify(personas.practitioner, "Not in a digest", email=False)
    assert mail.outbox == []
    assert _run() == "Sent 1 digests covering 3 notifications."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ngo@example.org"]
    assert message.subject == "Polku: 3 new notifications"
    assert message.extra_headers["Content-Language"] == "en"
    body = message.body
    for title in ["Oldest news", "Middle news", "Newest news"]:
        slug = title.lower().replace(" ", "-")
        assert f"{title}\nWhat happened: {title}.\nRead it in Polku: {SITE}/voice/{slug}/" in body
    assert body.index("Newest news") < body.index("Middle news") < body.index("Oldest news")
    assert f"All your notifications: {SITE}{reverse('notifications:notification_list')}" in body
    assert f"{SITE}{reverse('notifications:notification_settings')}" in body
    assert "Not in a digest" not in body
    mailed = Notification.objects.filter(recipient=personas.ngo)
    assert all(notification.emailed_at is not None for notification in mailed)
    assert len({notification.digest_id for notification in mailed}) == 1
    assert mailed[0].digest_id is not None


def test_a_digest_says_no_more_than_the_single_email(personas: Personas) -> None:
    """Each entry is the notification's stored title with exactly the text and link of its
    single e-mail, so nothing more about the matter reaches the inbox."""
    _digest(personas.ngo)
    notification = _notify(personas.ngo, "Protected matter", body="Reference C-42 changed.")
    digests_send()
    single = email_text(notification).split("\n\nAll your notifications:")[0]
    entry = f"{notification.title}\n{single.replace(chr(10) * 2, chr(10))}"
    body = mail.outbox[0].body
    assert entry in body
    paragraphs = body.split("\n\n")
    assert paragraphs[1] == entry
    assert len(paragraphs) == 4  # Opening, the one entry, all notifications, settings.


def test_it_writes_in_the_recipients_language(personas: Personas) -> None:
    """A Finnish reader's digest is written with Finnish active: its header, its subject and
    its lines, and the notification text stored in Finnish; an English reader's in English."""
    personas.ngo.preferred_language = "fi"
    personas.ngo.save(update_fields=["preferred_language"])
    for user in [personas.ngo, personas.practitioner]:
        _digest(user)
        notify(recipients=[user], kind="test.event", title=lambda: _("Challenges"), url="/voice/")
        _notify(user, "Second")
    assert _run() == "Sent 2 digests covering 4 notifications."
    by_address = {message.to[0]: message for message in mail.outbox}
    finnish = by_address["ngo@example.org"]
    english = by_address["practitioner@example.org"]
    assert finnish.extra_headers["Content-Language"] == "fi"
    assert english.extra_headers["Content-Language"] == "en"
    link = f"{SITE}{reverse('notifications:notification_list')}"
    with translation.override("fi"):
        finnish_all = _("All your notifications: %(link)s") % {"link": link}
        finnish_subject = ngettext(
            "Polku: %(count)d new notification", "Polku: %(count)d new notifications", 2
        ) % {"count": 2}
    assert finnish_all != f"All your notifications: {link}"  # Translated already.
    assert finnish_all in finnish.body
    assert f"All your notifications: {link}" not in finnish.body
    assert finnish.subject == finnish_subject
    assert "Haasteet" in finnish.body
    assert f"All your notifications: {link}" in english.body
    assert "Challenges" in english.body
    assert english.subject == "Polku: 2 new notifications"


def test_running_it_twice_sends_once(personas: Personas) -> None:
    """A second run finds nothing left to send."""
    _digest(personas.ngo)
    _notify(personas.ngo, "Only once")
    assert _run() == "Sent 1 digests covering 1 notifications."
    assert _run() == "Sent 0 digests covering 0 notifications."
    assert len(mail.outbox) == 1
    _notify(personas.ngo, "Next day")
    assert _run() == "Sent 1 digests covering 1 notifications."
    assert "Only once" not in mail.outbox[1].body and "Next day" in mail.outbox[1].body


def test_two_runs_at_once_send_once(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run started while another is sending the first digest finds that person's
    notifications claimed and sends the other's; the first run then finds those claimed."""
    _digest(personas.ngo)
    _digest(personas.practitioner)
    _notify(personas.ngo, "Claimed once")
    _notify(personas.practitioner, "Also claimed once")
    overlapping: list[tasks.DigestRun] = []
    started: list[bool] = []
    real_send = EmailMessage.send

    def send_while_another_run_starts(message: EmailMessage, *args: Any, **kwargs: Any) -> int:
        if not started:
            started.append(True)
            overlapping.append(digests_send())
        return int(real_send(message, *args, **kwargs))

    monkeypatch.setattr(EmailMessage, "send", send_while_another_run_starts)
    first = digests_send()
    assert overlapping == [tasks.DigestRun(digests=1, notifications=1, failed=0)]
    assert first == tasks.DigestRun(digests=1, notifications=1, failed=0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ngo@example.org",
        "practitioner@example.org",
    ]


def test_a_run_that_found_the_same_notifications_claims_none_of_them(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs may both find the same unmailed notifications; only the first to claim them
    sends them."""
    _digest(personas.ngo)
    _notify(personas.ngo, "Found twice")
    other_runs: list[tasks.DigestRun] = []
    started: list[bool] = []
    real_uuid4 = uuid.uuid4

    def other_run_claims_first() -> Any:
        # Called after this run has read the due notifications and before it claims them.
        if not started:
            started.append(True)
            other_runs.append(digests_send())
        return real_uuid4()

    # The run names its claim with uuid.uuid4(), called between reading and claiming.
    monkeypatch.setattr(uuid, "uuid4", other_run_claims_first)
    assert digests_send() == tasks.DigestRun(digests=0, notifications=0, failed=0)
    assert other_runs == [tasks.DigestRun(digests=1, notifications=1, failed=0)]
    assert len(mail.outbox) == 1


def test_a_refused_digest_is_sent_by_the_next_run(personas: Personas, settings: Any) -> None:
    """When the mail server refuses one person's digest, theirs stays unmailed for the next
    run, the others go out, and the command reports the failure."""
    _digest(personas.ngo)
    _digest(personas.practitioner)
    _notify(personas.ngo, "Refused first")
    _notify(personas.ngo, "Refused second")
    _notify(personas.practitioner, "Delivered")
    settings.MAILERS = {"default": {"BACKEND": f"{THIS_MODULE}.RefusingBackend"}}
    REFUSED.add("ngo@example.org")
    try:
        out = StringIO()
        with pytest.raises(CommandError, match="1 digests could not be sent"):
            call_command("notifications_send_digests", stdout=out)
    finally:
        REFUSED.clear()
    assert out.getvalue().strip() == "Sent 1 digests covering 1 notifications."
    assert [message.to for message in mail.outbox] == [["practitioner@example.org"]]
    refused = Notification.objects.filter(recipient=personas.ngo)
    assert [(n.emailed_at, n.digest_id) for n in refused] == [(None, None), (None, None)]
    assert _run() == "Sent 1 digests covering 2 notifications."
    assert mail.outbox[1].to == ["ngo@example.org"]
    assert "Refused first" in mail.outbox[1].body and "Refused second" in mail.outbox[1].body


def test_inactive_people_and_people_without_an_address_get_nothing(personas: Personas) -> None:
    """Someone who has left, or has no e-mail address, receives no digest; their
    notifications stay unmailed."""
    _digest(personas.ngo)
    _digest(personas.practitioner)
    left = _notify(personas.ngo, "After leaving")
    no_address = _notify(personas.practitioner, "Without an address")
    User.objects.filter(pk=personas.ngo.pk).update(is_active=False)
    User.objects.filter(pk=personas.practitioner.pk).update(email="")
    assert _run() == "Sent 0 digests covering 0 notifications."
    assert mail.outbox == []
    left.refresh_from_db()
    no_address.refresh_from_db()
    assert left.emailed_at is None and no_address.emailed_at is None


def test_read_old_and_in_app_only_notifications_are_left_out(personas: Personas) -> None:
    """Already read, older than the digest's week, or never meant for e-mail: not listed, and
    not marked as mailed."""
    _digest(personas.ngo)
    fresh = _notify(personas.ngo, "Fresh")
    read = _notify(personas.ngo, "Already read")
    old = _notify(personas.ngo, "Too old")
    in_app = _notify(personas.ngo, "In the app only", email=False)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - tasks.DIGEST_WINDOW - timedelta(minutes=1)
    )
    assert _run() == "Sent 1 digests covering 1 notifications."
    body = mail.outbox[0].body
    assert "Fresh" in body
    for left_out in ["Already read", "Too old", "In the app only"]:
        assert left_out not in body
    assert set(Notification.objects.filter(emailed_at=None).values_list("pk", flat=True)) == {
        read.pk,
        old.pk,
        in_app.pk,
    }
    assert Notification.objects.get(pk=fresh.pk).emailed_at is not None


def test_people_who_chose_otherwise_get_no_digest(personas: Personas) -> None:
    """Only people who chose the digest get one; unmailed news of the others stays unmailed."""
    NotificationPreference.objects.create(user=personas.ngo, email=EmailDelivery.NONE)
    NotificationPreference.objects.create(user=personas.secretariat, email=EmailDelivery.EACH)
    _notify(personas.ngo, "None by e-mail")
    _notify(personas.practitioner, "Never chose", email=False)
    Notification.objects.update(email_wanted=True)
    assert _run() == "Sent 0 digests covering 0 notifications."
    assert mail.outbox == []


def test_a_long_digest_counts_what_it_does_not_list(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the listing limit the digest counts the rest; all of them count as mailed."""
    monkeypatch.setattr(tasks, "DIGEST_LIST_LIMIT", 2)
    _digest(personas.ngo)
    for number in range(3):
        _notify(personas.ngo, f"News {number}")
    assert _run() == "Sent 1 digests covering 3 notifications."
    body = mail.outbox[0].body
    assert "News 2" in body and "News 1" in body and "News 0" not in body
    assert "And 1 more notification in Polku." in body
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_the_task_sends_the_digests(personas: Personas) -> None:
    """Schedulers that enqueue tasks get the same run and its counts."""
    _digest(personas.ngo)
    _notify(personas.ngo, "By the task")
    result = notifications_send_digests.enqueue()
    assert result.return_value == {"digests": 1, "notifications": 1, "failed": 0}
    assert notifications_send_digests.call() == {"digests": 0, "notifications": 0, "failed": 0}
    assert len(mail.outbox) == 1


def _queries_for_a_run() -> int:
    with CaptureQueriesContext(connection) as queries:
        digests_send()
    return len(queries)


def test_the_run_costs_one_query_and_one_claim_per_person(personas: Personas) -> None:
    """One query finds what is due, then one claim per person, however many notifications
    each has: twenty people with three each cost nineteen queries more than one person with
    one."""
    _digest(personas.ngo)
    _notify(personas.ngo, "Alone")
    with_one = _queries_for_a_run()
    assert len(mail.outbox) == 1
    for number in range(20):
        person = make_user(username=f"reader{number}", email=f"reader{number}@example.org")
        _digest(person)
        for item in range(3):
            _notify(person, f"News {number} {item}")
    mail.outbox.clear()
    assert _queries_for_a_run() == with_one + 19
    assert len(mail.outbox) == 20
    assert with_one == 2


def test_a_run_stopped_part_way_leaves_the_rest_for_the_next(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed while sending one person's digest has claimed nobody else's: the next run
    sends theirs."""
    _digest(personas.ngo)
    _digest(personas.practitioner)
    _notify(personas.ngo, "For the first reader")
    _notify(personas.practitioner, "For the second reader")

    class Stopped(BaseException):
        """Stands for the worker being killed: no handler catches it."""

    def stop(message: EmailMessage, *args: Any, **kwargs: Any) -> int:
        raise Stopped

    monkeypatch.setattr(EmailMessage, "send", stop)
    with pytest.raises(Stopped):
        digests_send()
    [lost] = Notification.objects.exclude(emailed_at=None)
    monkeypatch.undo()
    assert digests_send() == tasks.DigestRun(digests=1, notifications=1, failed=0)
    left_over = Notification.objects.exclude(pk=lost.pk).get()
    assert mail.outbox[0].to == [left_over.recipient.email]
    assert not Notification.objects.filter(emailed_at=None).exists()
