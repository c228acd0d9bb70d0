"""Notifications: written with the change, e-mailed after commit, read and marked read."""

from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.accounts.models import User
from polku.actors.tests.factories import make_user
from polku.notifications.models import Notification
from polku.notifications.services import notify, reminder_record
from polku.notifications.tasks import notifications_email


def _notify(recipients: list[User], **overrides: Any) -> list[Notification]:
    values: dict[str, Any] = {
        "recipients": recipients,
        "kind": "test.event",
        "title": "Something happened",
        "body": "Here is what.",
        "url": "/voice/",
    }
    values.update(overrides)
    return notify(**values)


def test_it_writes_in_app_now_and_mails_after_commit(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The in-app rows exist inside the transaction; the e-mail leaves only on commit."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = _notify([personas.practitioner, personas.ngo])
        assert Notification.objects.count() == 2
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ngo@example.org",
        "practitioner@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "Something happened"
    assert "Here is what." in message.body
    assert "http://" in message.body and "/voice/" in message.body
    assert all(
        notification.emailed_at is not None
        for notification in Notification.objects.filter(pk__in=[n.pk for n in created])
    )


def test_a_rolled_back_change_sends_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """If the change is undone, so are its notifications, and no e-mail goes out."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify([personas.practitioner])
        raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_it_tells_each_person_once_and_not_the_actor(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Duplicates collapse, the actor and inactive people are left out, and e-mail is optional."""
    gone = make_user(username="gone", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(
            [personas.practitioner, personas.practitioner, personas.ngo, gone],
            exclude=personas.ngo,
            email=False,
        )
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "practitioner"
    ]
    assert mail.outbox == []


def test_it_writes_in_each_persons_language(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A translated text is rendered in the recipient's preferred language, e-mail included."""
    personas.ngo.preferred_language = "fi"
    personas.ngo.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify([personas.practitioner, personas.ngo], title=lambda: _("Challenges"))
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles["practitioner"] == "Challenges"
    assert titles["ngo"] == "Haasteet"
    finnish = next(message for message in mail.outbox if message.to == ["ngo@example.org"])
    assert finnish.subject == titles["ngo"]


def test_the_email_task_sends_each_notification_once(personas: Personas) -> None:
    """Running the task twice for the same notifications sends one e-mail each."""
    created = _notify([personas.practitioner], email=False)
    ids = [notification.pk for notification in created]
    assert notifications_email.call(notification_ids=ids) == 1
    assert notifications_email.call(notification_ids=ids) == 0
    assert len(mail.outbox) == 1


def test_a_failed_email_stays_unmailed(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the mail server refuses, the notification is kept unmailed for a retry."""
    created = _notify([personas.practitioner], email=False)

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise ConnectionError("mail server down")

    monkeypatch.setattr("polku.notifications.tasks.send_mail", refuse)
    with pytest.raises(ConnectionError):
        notifications_email.call(notification_ids=[created[0].pk])
    created[0].refresh_from_db()
    assert created[0].emailed_at is None
    monkeypatch.undo()
    assert notifications_email.call(notification_ids=[created[0].pk]) == 1


def test_a_reminder_is_recorded_once_a_day(personas: Personas) -> None:
    """The second record of the same reminder on the same day is refused."""
    today = timezone.localdate()
    target = personas.police
    assert reminder_record(target=target, kind="test.soon", day=today)
    assert not reminder_record(target=target, kind="test.soon", day=today)
    assert reminder_record(target=target, kind="test.overdue", day=today)


def test_the_list_shows_unread_first_and_marks_them_read(
    personas: Personas, client_for: ClientFor
) -> None:
    """Unread come first; one or all can be marked read by POST; the header counts unread."""
    older = _notify([personas.practitioner], title="Older news", email=False)[0]
    _notify([personas.practitioner], title="Newer news", email=False)
    Notification.objects.filter(title="Newer news").update(read_at=timezone.now())
    client = client_for("practitioner")
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert page.index("Older news") < page.index("Newer news")
    assert "Notifications (1" in page
    response = client.post(
        reverse("notifications:notification_read", args=[older.pk]),
        {"next": reverse("voice:challenge_list")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("voice:challenge_list")
    older.refresh_from_db()
    assert older.read_at is not None
    _notify([personas.practitioner], title="Third", email=False)
    _notify([personas.practitioner], title="Fourth", email=False)
    client.post(reverse("notifications:notification_read_all"))
    assert not Notification.objects.filter(recipient=personas.practitioner, read_at=None).exists()
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Notifications (" not in page


def test_nobody_reads_or_marks_someone_elses(personas: Personas, client_for: ClientFor) -> None:
    """Another person's notification does not exist for you (404) and stays unread."""
    theirs = _notify([personas.practitioner], title="Private to them", email=False)[0]
    client = client_for("ngo")
    response = client.post(reverse("notifications:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert (
        "Private to them"
        not in client.get(reverse("notifications:notification_list")).content.decode()
    )
    assert (
        client.post(
            reverse("notifications:notification_read", args=[theirs.pk]),
            {"next": "https://evil.example"},
        ).status_code
        == 404
    )


def test_an_offsite_next_is_ignored(personas: Personas, client_for: ClientFor) -> None:
    """After marking read, only a link on this site is followed."""
    mine = _notify([personas.ngo], email=False)[0]
    response = client_for("ngo").post(
        reverse("notifications:notification_read", args=[mine.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("notifications:notification_list")


def test_it_pages_the_list_and_has_an_empty_state(
    personas: Personas, client_for: ClientFor, settings: Any
) -> None:
    """A long list is paginated; an empty one says so."""
    client = client_for("ngo")
    assert (
        "You have no notifications yet"
        in client.get(reverse("notifications:notification_list")).content.decode()
    )
    settings.POLKU_PAGE_SIZE = 5
    for number in range(7):
        _notify([personas.ngo], title=f"News {number}", email=False)
    first = client.get(reverse("notifications:notification_list"))
    assert len(first.context["page_obj"]) == 5
    second = client.get(reverse("notifications:notification_list"), {"page": 2})
    assert len(second.context["page_obj"]) == 2


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_everyone_signed_in_has_a_list(client_for: ClientFor, persona: str) -> None:
    """Each signed-in person reads their own list; anonymous visitors are sent to sign in."""
    response = client_for(persona).get(reverse("notifications:notification_list"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("method", ["get"])
def test_marking_read_needs_a_post(personas: Personas, client_for: ClientFor, method: str) -> None:
    """A link cannot mark anything read: only POST does."""
    mine = _notify([personas.ngo], email=False)[0]
    response = getattr(client_for("ngo"), method)(
        reverse("notifications:notification_read", args=[mine.pk])
    )
    assert response.status_code == 405
    assert client_for("ngo").get(reverse("notifications:notification_read_all")).status_code == 405


def _count(client_for: ClientFor) -> int:
    client = client_for("ngo")
    url = reverse("notifications:notification_list")
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_keeps_a_fixed_query_budget(personas: Personas, client_for: ClientFor) -> None:
    """1 or 20 notifications, read or not: the same number of queries, the header included."""
    _notify([personas.ngo], email=False)
    with_one = _count(client_for)
    for number in range(19):
        _notify([personas.ngo], title=f"News {number}", email=False)
    Notification.objects.filter(title__endswith="3").update(read_at=timezone.now())
    assert _count(client_for) == with_one


def test_the_header_count_costs_one_query(personas: Personas, client_for: ClientFor) -> None:
    """The header's unread count adds exactly one query to a page."""
    client = client_for("ngo")
    url = reverse("voice:challenge_list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    counting = [query for query in queries if "notifications_notification" in query["sql"]]
    assert len(counting) == 1
