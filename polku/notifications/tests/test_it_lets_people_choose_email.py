"""Each person chooses how notifications reach them by e-mail, on their own settings page."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.accounts.models import User
from polku.audit.models import AuditEvent
from polku.notifications.choices import EmailDelivery
from polku.notifications.models import Notification, NotificationPreference
from polku.notifications.selectors import notification_preference_get
from polku.notifications.services import notification_preference_set, notify
from polku.notifications.tasks import digests_send, email_delivery_of

SETTINGS_URL = "notifications:notification_settings"


def _choose(user: User, email: EmailDelivery) -> None:
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": email})


def _notify(user: User, title: str = "Something happened") -> Notification:
    return notify(recipients=[user], kind="test.event", title=title, url="/voice/")[0]


def test_the_default_is_each_one_as_it_happens(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Someone who never chose is e-mailed each notification at once, and no row is made."""
    preference = notification_preference_get(user=personas.ngo)
    assert preference.email == EmailDelivery.EACH
    assert preference._state.adding
    assert email_delivery_of(personas.ngo) == EmailDelivery.EACH
    with django_capture_on_commit_callbacks(execute=True):
        _notify(personas.ngo)
    assert [message.to for message in mail.outbox] == [["ngo@example.org"]]
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("choice", "mailed_at_once", "digests"),
    [
        (EmailDelivery.EACH, 2, 0),
        (EmailDelivery.DAILY_DIGEST, 0, 1),
        (EmailDelivery.NONE, 0, 0),
    ],
)
def test_each_choice_decides_what_is_mailed(
    personas: Personas,
    django_capture_on_commit_callbacks: Any,
    choice: EmailDelivery,
    mailed_at_once: int,
    digests: int,
) -> None:
    """Each: one e-mail per notification. Digest: nothing at once, one e-mail with the digest.
    None: never an e-mail. The notifications are in Polku whatever the choice."""
    _choose(personas.ngo, choice)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(personas.ngo, "First news")
        _notify(personas.ngo, "Second news")
    assert Notification.objects.filter(recipient=personas.ngo).count() == 2
    assert len(mail.outbox) == mailed_at_once
    unmailed = Notification.objects.filter(recipient=personas.ngo, emailed_at=None).count()
    assert unmailed == (0 if choice == EmailDelivery.EACH else 2)
    mail.outbox.clear()
    run = digests_send()
    assert run.digests == digests
    assert len(mail.outbox) == digests
    if digests:
        assert "First news" in mail.outbox[0].body and "Second news" in mail.outbox[0].body
    left = Notification.objects.filter(recipient=personas.ngo, emailed_at=None).count()
    assert left == (2 if choice == EmailDelivery.NONE else 0)


def test_a_choice_made_after_the_news_counts_when_the_email_goes(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The e-mail task reads the choice when it runs, so a queued e-mail follows a new choice."""
    from polku.notifications.tasks import notifications_email

    created = notify(recipients=[personas.ngo], kind="test.event", title="Queued", email=True)
    _choose(personas.ngo, EmailDelivery.DAILY_DIGEST)
    assert notifications_email.call(notification_ids=[created[0].pk]) == 0
    assert mail.outbox == []
    assert digests_send().notifications == 1


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_everyone_signed_in_has_a_settings_page(client_for: ClientFor, persona: str) -> None:
    """Each signed-in person sees their own settings; anonymous visitors are sent to sign in."""
    response = client_for(persona).get(reverse(SETTINGS_URL))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 200


def test_the_page_offers_three_choices_with_a_hint(
    personas: Personas, client_for: ClientFor
) -> None:
    """Radios for the three choices, the current one checked, with hint text; the list links
    here."""
    _choose(personas.ngo, EmailDelivery.NONE)
    client = client_for("ngo")
    page = client.get(reverse(SETTINGS_URL)).content.decode()
    assert 'class="govuk-radios' in page
    for value in EmailDelivery.values:
        assert f'value="{value}"' in page
    assert 'value="none" checked' in page
    assert 'value="each" checked' not in page
    assert "every notification stays in your list in Polku" in page
    assert 'aria-describedby="id_email-hint"' in page
    assert "Polku has no e-mail address for you" not in page
    listing = client.get(reverse("notifications:notification_list")).content.decode()
    assert f'href="{reverse(SETTINGS_URL)}"' in listing


def test_the_page_warns_someone_without_an_email_address(
    personas: Personas, client_for: ClientFor
) -> None:
    """Whoever has no e-mail address on file is told that nothing can be e-mailed to them."""
    personas.ngo.email = ""
    personas.ngo.save(update_fields=["email"])
    page = client_for("ngo").get(reverse(SETTINGS_URL)).content.decode()
    assert "Polku has no e-mail address for you" in page
    assert reverse("accounts:profile_edit") in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "weekly"}, "Choose one of the options"),
        ({}, "Choose how Polku should e-mail you"),
    ],
)
def test_a_wrong_choice_is_refused_and_changes_nothing(
    personas: Personas, client_for: ClientFor, data: dict[str, str], error: str
) -> None:
    """An unknown or missing choice shows a specific error, linked from the summary, and
    nothing is saved or audited."""
    client = client_for("ngo")
    before = AuditEvent.objects.count()
    response = client.post(reverse(SETTINGS_URL), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert error in page
    assert 'href="#id_email' in page
    assert not NotificationPreference.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_choice_is_saved_audited_and_confirmed(personas: Personas, client_for: ClientFor) -> None:
    """Saving stores the choice, writes one audit event and says so; saving it again unchanged
    writes no further event."""
    client = client_for("ngo")
    response = client.post(reverse(SETTINGS_URL), {"email": "daily_digest"}, follow=True)
    assert response.redirect_chain == [(reverse(SETTINGS_URL), 302)]
    assert "Your e-mail settings for notifications have been saved." in response.content.decode()
    assert 'value="daily_digest" checked' in response.content.decode()
    preference = NotificationPreference.objects.get()
    assert preference.user == personas.ngo
    assert preference.email == EmailDelivery.DAILY_DIGEST
    event = AuditEvent.objects.get(action="notifications.preference.update")
    assert event.actor == personas.ngo
    assert event.before is None
    assert event.after == {"email": "daily_digest"}
    client.post(reverse(SETTINGS_URL), {"email": "daily_digest"})
    assert AuditEvent.objects.filter(action="notifications.preference.update").count() == 1
    client.post(reverse(SETTINGS_URL), {"email": "none"})
    change = AuditEvent.objects.filter(action="notifications.preference.update").first()
    assert change is not None
    assert change.before == {"email": "daily_digest"} and change.after == {"email": "none"}


def test_nobody_chooses_for_someone_else(personas: Personas, client_for: ClientFor) -> None:
    """The page changes only the signed-in person's choice; the service refuses another's."""
    client_for("ngo").post(reverse(SETTINGS_URL), {"email": "none", "user": personas.admin.pk})
    assert list(NotificationPreference.objects.values_list("user__username", "email")) == [
        ("ngo", "none")
    ]
    with pytest.raises(PermissionDenied):
        notification_preference_set(
            actor=personas.admin, user=personas.practitioner, email=EmailDelivery.NONE
        )
    assert not NotificationPreference.objects.filter(user=personas.practitioner).exists()


def test_the_service_refuses_an_unknown_choice(personas: Personas) -> None:
    """A choice that is not one of the three is refused with the field named; nothing saved."""
    with pytest.raises(ValidationError) as refused:
        notification_preference_set(actor=personas.ngo, user=personas.ngo, email="weekly")
    assert list(refused.value.message_dict) == ["email"]
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="notifications.preference.update").exists()


def test_the_settings_page_needs_get_or_post(client_for: ClientFor) -> None:
    """Other methods are refused."""
    assert client_for("ngo").put(reverse(SETTINGS_URL)).status_code == 405


def test_the_profile_says_how_notifications_are_emailed(
    personas: Personas, client_for: ClientFor
) -> None:
    """The profile names the choice, the default until one is made, and leads to the page
    where it is changed."""
    client = client_for("ngo")
    profile = reverse("accounts:profile")
    settings_link = f'href="{reverse(SETTINGS_URL)}"'
    page = client.get(profile).content.decode()
    assert "Each one as it happens" in page
    assert settings_link in page
    _choose(personas.ngo, EmailDelivery.DAILY_DIGEST)
    page = client.get(profile).content.decode()
    assert "One daily digest" in page
    assert "Each one as it happens" not in page
