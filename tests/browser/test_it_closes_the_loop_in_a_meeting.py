"""The coordinator schedules a secretariat meeting, a member proposes a practitioner's challenge
as an item, the chair accepts it, the meeting is held, the minutes are drafted, commented on,
approved and published, a decision closes the challenge's loop, and the practitioner who raised
it reads the decision. Each person has their own browser; every page passes axe-core."""

import importlib
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from conftest import Personas
from polku.accounts.models import User
from polku.meetings.choices import MeetingStatus, MinutesStatus
from polku.meetings.models import Decision, Meeting
from polku.notifications.models import Notification
from polku.voice.choices import ChallengeStatus, OutcomeKind
from polku.voice.tests.factories import make_challenge
from tests.browser.fixtures import CheckedPage, sign_in

pytestmark = pytest.mark.browser

TITLE = "Secretariat meeting: interpreting at night"
ITEM = "Interpreters for victims identified at night"
DECISION = (
    "The secretariat asks the assistance system to fund telephone interpreting around the "
    "clock and the National Police Board to give the number to every duty officer."
)


def _typologies() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies back the way their migration writes them.
    migration = importlib.import_module("polku.taxonomy.migrations.0002_first_versions")
    migration.create(apps, None)


def _said(page: CheckedPage, message: str) -> None:
    """The page shows the message in one of its notification banners."""
    banners = page.locator(".govuk-notification-banner")
    expect(banners.filter(has_text=message)).to_have_count(1)


def _open_notification(page: CheckedPage, title: str | re.Pattern[str]) -> None:
    header = page.get_by_role("navigation", name="Your account")
    header.get_by_role("link", name=re.compile(r"^Notifications \(")).click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.locator("main").get_by_role("link", name=title).click()
    page.check()


def test_it_closes_a_practitioners_loop_at_a_secretariat_meeting(
    checked_page: CheckedPage,
    browser_for: Callable[[User], CheckedPage],
    personas: Personas,
) -> None:
    """The practitioner's challenge ends addressed by the decision, which they are told of and
    read on the challenge and in the published minutes."""
    _typologies()
    today = timezone.localdate()
    challenge = make_challenge(
        submitted_by=personas.practitioner,
        title="No interpreter for victims identified at night",
        description="Victims identified at night wait until morning for an interpreter.",
        status=ChallengeStatus.UNDER_CONSIDERATION,
        submitted_on=today - timedelta(days=20),
        acknowledge_due_on=today - timedelta(days=13),
        answer_due_on=today + timedelta(days=10),
    )
    body = personas.secretariat_body
    day = today + timedelta(days=7)

    # The coordinator, who chairs the secretariat, schedules its meeting.
    chair = checked_page
    sign_in(chair, personas.coordinator)
    chair.visit("/meetings/")
    expect(chair.get_by_role("heading", level=1)).to_have_text("Meetings")
    chair.get_by_role("link", name="Schedule a meeting").first.click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Schedule a meeting")
    chair.get_by_label("Body").select_option(label=body.name)
    chair.get_by_label("Title").fill(TITLE)
    chair.get_by_label("Date").fill(day.isoformat())
    chair.get_by_label("Starts at").fill("10:00")
    chair.get_by_label("Ends at").fill("12:00")
    chair.get_by_label("Place").fill("Ministry of the Interior, Kirkkokatu 12, Helsinki, room 3.14")
    chair.get_by_label("Online meeting link").fill("https://meet.example.fi/sm/secretariat")
    chair.get_by_role("button", name="Schedule and invite").click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text(TITLE)
    _said(chair, "Meeting scheduled. 3 people were invited by e-mail.")
    expect(chair.locator("main")).to_contain_text("Nothing is on the agenda yet.")
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.body == body and meeting.invitations.count() == 3

    # A member of the secretariat, told of the invitation, proposes the challenge as an item.
    member = browser_for(personas.secretariat)
    _open_notification(member, re.compile(f"^You are invited to {TITLE} on "))
    expect(member.get_by_role("heading", level=1)).to_have_text(TITLE)
    member.get_by_role("link", name="Propose an item").click()
    member.check()
    expect(member.get_by_role("heading", level=1)).to_have_text("Propose an item")
    member.get_by_label("Title").fill(ITEM)
    member.get_by_label("Description").fill(
        "The police in Helsinki raised this; three other practitioners meet it too."
    )
    member.get_by_label("Time (minutes)").fill("30")
    member.get_by_label("Challenge").fill(str(challenge.reference))
    member.get_by_role("button", name="Send the proposal").click()
    member.check()
    _said(member, "Your proposal was sent to the chair, who accepts or declines it.")
    waiting = member.locator("main").get_by_role(
        "heading", name="Proposed items, waiting for the chair"
    )
    expect(waiting).to_be_visible()
    expect(member.locator("main")).to_contain_text(f"{challenge.reference} {challenge.title}")
    expect(member.locator("main")).to_contain_text("Nothing is on the agenda yet.")

    # The chair is told of the proposal and accepts it; the challenge goes on the agenda.
    chair.visit("/notifications/")
    chair.locator("main").get_by_role(
        "link", name=re.compile(f"proposes “{ITEM}” for {TITLE}")
    ).click()
    chair.check()
    # The hidden part of the button's name says which item it accepts.
    chair.get_by_role("button", name=re.compile(rf"^Accept\W+{re.escape(ITEM)}$")).click()
    chair.check()
    _said(chair, f"“{ITEM}” is on the agenda.")
    expect(chair.locator("main")).to_contain_text(
        "The challenge is now on the agenda; its submitter and followers were told."
    )
    expect(chair.get_by_role("heading", level=3, name=f"1. {ITEM}")).to_be_visible()
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ON_AGENDA

    # The day of the meeting comes: it starts three hours ago.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )

    chair.visit(meeting.get_absolute_url())
    chair.get_by_role("button", name="Mark as held").click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Record attendance")
    _said(chair, "The meeting is marked as held. Record who attended.")
    for person, organisation in (
        (personas.coordinator, personas.interior),
        (personas.secretariat, personas.justice),
        (personas.secretariat2, personas.social_affairs),
    ):
        chair.get_by_label(f"{person} ({organisation.name})").select_option("present")
    chair.get_by_role("button", name="Save attendance").click()
    chair.check()
    _said(chair, "Attendance saved.")
    expect(chair.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(chair.get_by_role("heading", level=1).locator(".govuk-tag")).to_have_text("Held")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD

    # The chair drafts the minutes and sends them round for comments.
    chair.get_by_role("link", name="Minutes", exact=True).click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Minutes")
    expect(chair.locator("main")).to_contain_text(
        "No minutes have been written for this meeting yet."
    )
    chair.get_by_role("link", name="Start the minutes").click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Start the minutes")
    draft = (
        "1. Opening of the meeting\nThe chair opened the meeting at 10.00.\n\n"
        f"2. {ITEM}\nThe secretariat discussed the challenge {challenge.reference}.\n"
        f"Decision: {DECISION}"
    )
    chair.get_by_label("Minutes", exact=True).fill(draft)
    chair.get_by_label("What changed").fill("First draft")
    chair.get_by_role("button", name="Save a new version").click()
    chair.check()
    _said(chair, "Version 1 of the minutes saved.")
    status = chair.locator(".govuk-summary-list__row", has_text="Status")
    expect(status.locator(".govuk-tag")).to_have_text("Draft")
    chair.get_by_label("Comments by").fill((today + timedelta(days=7)).isoformat())
    chair.get_by_role("button", name="Circulate for comments").click()
    chair.check()
    _said(chair, "The minutes were sent to the invitees for comments.")
    expect(status.locator(".govuk-tag")).to_have_text("Circulated for comments")

    # Another participant is told and comments.
    participant = browser_for(personas.secretariat2)
    _open_notification(participant, re.compile(f"^Comment on the minutes of {TITLE} by "))
    expect(participant.get_by_role("heading", level=1)).to_have_text("Minutes")
    expect(participant.locator("main")).to_contain_text(DECISION)
    comment = "Item 2: please add that the Ministry of Social Affairs and Health pays for it."
    participant.get_by_label("Your comment").fill(comment)
    participant.get_by_role("button", name="Add comment").click()
    participant.check()
    _said(participant, "Your comment was added.")
    expect(participant.locator("main")).to_contain_text(comment)

    # The chair takes the comment in, approves the minutes and publishes them to insiders.
    _open_notification(chair, f"A comment on the minutes of {TITLE}")
    expect(chair.locator("main")).to_contain_text(comment)
    chair.get_by_role("link", name="Edit the minutes").click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Edit the minutes")
    chair.get_by_label("Minutes", exact=True).fill(
        draft + "\nThe Ministry of Social Affairs and Health pays for the interpreting."
    )
    chair.get_by_label("What changed").fill("Comment on item 2 included")
    chair.get_by_role("button", name="Save a new version").click()
    chair.check()
    _said(chair, "Version 2 of the minutes saved.")
    expect(status.locator(".govuk-tag")).to_have_text("Revised")
    chair.get_by_role("link", name="Earlier versions and changes").click()
    chair.check()
    chair.get_by_role("button", name=re.compile("Compare")).click()
    chair.check()
    expect(chair.locator("main")).to_contain_text("pays for the interpreting")
    chair.visit(f"/meetings/{meeting.pk}/minutes/")
    chair.get_by_role("button", name="Approve as chair").click()
    chair.check()
    _said(chair, "The minutes are approved.")
    expect(status.locator(".govuk-tag")).to_have_text("Approved")
    chair.get_by_label("Everyone signed in").check()
    chair.get_by_role("button", name="Publish").click()
    chair.check()
    _said(chair, "The minutes are published.")
    expect(status.locator(".govuk-tag")).to_have_text("Published")

    # The decision is recorded on the item: the challenge's loop closes.
    chair.get_by_role(
        "link", name=re.compile(rf"^Record a decision\W+on {re.escape(ITEM)}$")
    ).click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Record a decision")
    expect(chair.locator(".govuk-inset-text")).to_contain_text(
        f"The decision is recorded as the outcome of {challenge.reference}"
    )
    chair.get_by_label("Decision", exact=True).fill(DECISION)
    chair.get_by_role("button", name="Record the decision").click()
    chair.check()
    _said(chair, f"Decision recorded. The people following {challenge.reference} were told of it.")
    decisions = chair.locator("main h2", has_text=re.compile("^Decisions$")).locator(
        "xpath=following-sibling::dl[1]"
    )
    expect(decisions).to_contain_text(ITEM)
    expect(decisions).to_contain_text(DECISION)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ADDRESSED
    decision = Decision.objects.get(item__meeting=meeting)
    assert challenge.outcomes.get().kind == OutcomeKind.DECISION
    assert challenge.outcomes.get().link_id == str(decision.pk)
    assert meeting.minutes.versions.count() == 2
    assert Meeting.objects.get(pk=meeting.pk).minutes.status == MinutesStatus.PUBLISHED

    # The practitioner who raised the challenge is told, and reads the decision.
    practitioner = browser_for(personas.practitioner)
    told = Notification.objects.filter(recipient=personas.practitioner, target_id=str(challenge.pk))
    assert set(told.values_list("kind", flat=True)) == {"voice.status", "voice.outcome"}
    _open_notification(practitioner, f"{challenge.reference}: an outcome was recorded")
    expect(practitioner.get_by_role("heading", level=1)).to_have_text(challenge.title)
    outcomes = practitioner.locator("main h2", has_text="Outcomes").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(outcomes).to_contain_text("Decision")
    expect(outcomes).to_contain_text(DECISION)
    timeline = practitioner.locator(".polku-timeline")
    expect(timeline).to_contain_text("Status changed to “On an agenda”")
    expect(timeline).to_contain_text(f"To be discussed by {body.name}")
    expect(timeline).to_contain_text("Outcome — Addressed")
    practitioner.visit(f"/meetings/{meeting.pk}/minutes/")
    expect(practitioner.get_by_role("heading", level=1)).to_have_text("Minutes")
    expect(practitioner.locator("main")).to_contain_text(DECISION)
    expect(practitioner.get_by_role("button", name="Approve as chair")).to_have_count(0)

    pages = (chair, member, participant, practitioner)
    assert sum(len(page.checked) for page in pages) >= 30
