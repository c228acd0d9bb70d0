"""The secretariat finds an overdue challenge in the inbox, takes it on, acknowledges it and
merges a duplicate into it; the practitioner who raised it reads the news and the timeline."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from conftest import Personas
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.tests.factories import make_challenge, make_endorsement
from tests.browser.fixtures import CheckedPage, sign_in, sign_out

pytestmark = pytest.mark.browser


def _typologies() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies back the way their migration writes them.
    migration = importlib.import_module("polku.taxonomy.migrations.0002_first_versions")
    migration.create(apps, None)


def test_it_triages_an_overdue_challenge_and_merges_a_duplicate(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """Every page passes axe-core; the submitter is told and reads it all on the timeline."""
    _typologies()
    today = timezone.localdate()
    late = make_challenge(
        submitted_by=personas.practitioner,
        title="Night-time interpreters cannot be reached",
        submitted_on=today - timedelta(days=14),
        acknowledge_due_on=today - timedelta(days=3),
        answer_due_on=today + timedelta(days=20),
    )
    duplicate = make_challenge(
        submitted_by=personas.ngo,
        title="No interpreter after office hours",
        submitted_on=today - timedelta(days=1),
        acknowledge_due_on=today + timedelta(days=5),
        answer_due_on=today + timedelta(days=30),
    )
    make_endorsement(challenge=duplicate, user=personas.secretariat2)
    page = checked_page

    sign_in(page, personas.secretariat)
    page.visit("/voice/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(page.locator(".polku-inbox-summary")).to_contain_text("1 overdue")
    page.get_by_label("Response clock").select_option(label="Overdue")
    page.get_by_role("button", name="Apply filters").click()
    page.check()
    rows = page.locator("table.polku-inbox tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(str(late.reference))
    expect(rows.first.locator(".govuk-tag--red")).to_have_text("Overdue")

    rows.first.get_by_role("button", name=re.compile("Assign to me")).click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You are now the owner of 1 challenge."
    )
    page.get_by_role("link", name=late.title).click()
    page.check()
    page.get_by_label("New status").select_option(label="Acknowledged")
    page.get_by_label("Note").fill("We are asking the interpreting services for night rotas.")
    page.get_by_role("button", name="Change status").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Acknowledged")

    page.visit(duplicate.get_absolute_url())
    page.get_by_role("link", name="Merge into another challenge").click()
    page.check()
    page.get_by_label("Reference of the challenge that continues").fill(str(late.reference))
    page.get_by_label("Note for the timeline").fill("Both are about interpreters at night.")
    page.get_by_role("button", name="Continue").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the merge")
    page.get_by_role("button", name=re.compile("^Merge ")).click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(late.title)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("was merged into")
    assert Challenge.objects.get(pk=duplicate.pk).status == ChallengeStatus.MERGED
    sign_out(page)

    sign_in(page, personas.practitioner)
    header = page.get_by_role("navigation", name="Your account")
    header.get_by_role("link", name=re.compile(r"^Notifications \(2")).click()
    page.check()
    news = page.locator("main")
    expect(news).to_contain_text(f"{late.reference} is now “Acknowledged”")
    expect(news).to_contain_text(f"{duplicate.reference} was merged into {late.reference}")
    news.get_by_role("link", name=f"{late.reference} is now “Acknowledged”").click()
    page.check()
    timeline = page.locator(".polku-timeline")
    expect(timeline).to_contain_text("Status changed to “Acknowledged”")
    expect(timeline).to_contain_text("night rotas")
    expect(timeline).to_contain_text("Merged")
    expect(timeline).to_contain_text(str(duplicate.reference))

    page.visit("/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    page.check()
    expect(header.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert len(page.checked) >= 14
