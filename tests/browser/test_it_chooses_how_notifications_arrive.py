"""A practitioner chooses a daily digest instead of an e-mail per notification: the
notifications page leads to the settings, the choice is saved, the single e-mails stop and
the next digest lists what came in. Every page passes axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import Personas
from polku.notifications.models import Notification
from polku.notifications.services import notify
from polku.notifications.tasks import digests_send, notifications_email
from tests.browser.fixtures import CheckedPage, sign_in

pytestmark = pytest.mark.browser


def test_it_switches_to_a_daily_digest(checked_page: CheckedPage, personas: Personas) -> None:
    page = checked_page
    reader = personas.practitioner
    sign_in(page, reader)
    page.visit("/notifications/")
    page.get_by_role("link", name="Choose how notifications are e-mailed to you").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail settings for notifications")
    expect(page.get_by_role("radio", name="Each one as it happens")).to_be_checked()

    digest = page.get_by_role("radio", name="One daily digest")
    digest.focus()
    page.keyboard.press("Space")
    expect(digest).to_be_checked()
    page.get_by_role("button", name="Save").click()
    page.check()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_have_count(1)
    page.visit("/notifications/settings/")
    expect(page.get_by_role("radio", name="One daily digest")).to_be_checked()

    mail.outbox.clear()
    made = notify(
        recipients=[reader],
        kind="voice.challenge_answered",
        title="Your challenge has an answer",
        body="The secretariat answered it.",
        url="/challenges/",
    )
    assert notifications_email.call(notification_ids=[row.pk for row in made]) == 0
    assert mail.outbox == []

    run = digests_send()
    assert (run.digests, run.notifications, run.failed) == (1, 1, 0)
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "Polku: 1 new notification"
    assert "Your challenge has an answer" in message.body
    assert re.search(r"https?://\S+/challenges/", str(message.body))
    assert Notification.objects.get(pk=made[0].pk).emailed_at is not None
