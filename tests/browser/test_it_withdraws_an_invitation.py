"""The chair of a closed working group invites a guest from an NGO to a meeting, withdraws the
invitation on a confirmation page with the keyboard alone, and invites them again. The guest
loses the meeting while the invitation is withdrawn, is e-mailed a calendar cancellation, and
gets the meeting back once invited again. Every page passes axe-core."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Locator, expect

from conftest import Personas
from polku.accounts.models import User
from polku.meetings.models import Invitation, Meeting
from polku.meetings.services.meetings import MeetingInput, meeting_schedule
from tests.browser.fixtures import CheckedPage, sign_in

pytestmark = pytest.mark.browser

TITLE = "Working group: shelters for victims from abroad"
GUEST = "Leena Koskinen"
CHAIR = "Mikko Virtanen"


def _said(page: CheckedPage, message: str) -> None:
    """The page shows the message in one of its notification banners."""
    banners = page.locator(".govuk-notification-banner")
    expect(banners.filter(has_text=message)).to_have_count(1)


def _tab_to(page: CheckedPage, target: Locator, presses: int = 80) -> None:
    """Presses Tab until the target has the focus, as someone without a mouse would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


def _withdraw_name(person: str) -> re.Pattern[str]:
    """The withdraw link's name: its hidden part says whose invitation it withdraws."""
    return re.compile(rf"^Withdraw the invitation\W+{re.escape(person)}$")


def _invited(page: CheckedPage) -> Locator:
    """The list of standing invitations under the "Invited" heading."""
    return page.page.locator("#invitees").locator("xpath=following-sibling::*[1]")


def _withdrawn(page: CheckedPage) -> Locator:
    """The invitations withdrawn, under their own heading."""
    return page.page.locator("#withdrawn-invitations").locator("xpath=following-sibling::ul[1]")


def _meeting_list_links(page: CheckedPage) -> Locator:
    """The meeting, as a link in the list of meetings."""
    return page.page.locator("main table").get_by_role("link", name=TITLE)


def test_it_withdraws_an_invitation_and_invites_again(
    checked_page: CheckedPage,
    browser_for: Callable[[User], CheckedPage],
    personas: Personas,
) -> None:
    """A withdrawn guest no longer sees the closed group's meeting and is e-mailed a CANCEL;
    the chair sees them among the invitations withdrawn; invited again, they see it again."""
    chair_user, guest_user = personas.secretariat, personas.ngo
    chair_user.first_name, chair_user.last_name = CHAIR.split()
    chair_user.save()
    guest_user.first_name, guest_user.last_name = GUEST.split()
    guest_user.email = "leena.koskinen@example.org"
    guest_user.save()
    starts_at = (timezone.now() + timedelta(days=10)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    meeting = meeting_schedule(
        actor=chair_user,
        body=personas.private_group,
        data=MeetingInput(
            title=TITLE,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            location="Ministry of Justice, Eteläesplanadi 10, Helsinki, room 2",
        ),
    )
    meeting_path = meeting.get_absolute_url()

    # The chair opens the meeting and invites a guest from the NGO.
    chair = checked_page
    sign_in(chair, chair_user)
    chair.visit("/meetings/")
    _meeting_list_links(chair).click()
    chair.check()
    expect(chair.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(chair.locator("#withdrawn-invitations")).to_have_count(0)
    chair.get_by_role("link", name="Invite someone else").click()
    chair.check()
    chair.get_by_label("Person and the organisation they represent").select_option(
        label=f"{GUEST} — Victim Support NGO"
    )
    chair.get_by_role("button", name="Invite", exact=True).click()
    chair.check()
    _said(chair, f"{GUEST} is invited as guest and was sent the invitation.")
    expect(_invited(chair)).to_contain_text(GUEST)
    invitation = Invitation.objects.get(meeting=meeting, user=guest_user)
    assert invitation.withdrawn_at is None

    # The guest sees the meeting in their list and opens it.
    guest = browser_for(guest_user)
    guest.visit("/meetings/")
    _meeting_list_links(guest).click()
    guest.check()
    expect(guest.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(guest.get_by_role("heading", name="Are you coming?")).to_be_visible()
    # Managers alone withdraw invitations; the guest is offered no such link.
    expect(guest.get_by_role("link", name=re.compile("^Withdraw the invitation"))).to_have_count(0)

    # The chair's own seat is not offered for withdrawal; the guest's and the member's are.
    withdraw_links = _invited(chair).get_by_role(
        "link", name=re.compile(r"^Withdraw the invitation\W")
    )
    expect(withdraw_links).to_have_count(2)
    expect(chair.get_by_role("link", name=_withdraw_name(CHAIR))).to_have_count(0)
    chair.keep_screenshot("withdraw-invited-section", chair.locator(".govuk-grid-column-one-third"))

    # The chair asks to withdraw the guest's invitation, reads what it means, and goes back.
    withdraw_guest = chair.get_by_role("link", name=_withdraw_name(GUEST))
    withdraw_guest.click()
    chair.check()
    heading = chair.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Withdraw the invitation of {GUEST}?")
    main = chair.locator("main")
    expect(main.locator(".govuk-caption-l")).to_have_text(TITLE)
    day = timezone.localtime(meeting.starts_at)
    expect(main).to_contain_text(
        f"{GUEST} (Victim Support NGO) will no longer be invited to “{TITLE}” "
        f"on {day:%-d.%-m.%Y} at {day:%H:%M}."
    )
    expect(main).to_contain_text(
        "They are told in Polku and by e-mail, and the meeting is taken out of their calendar."
    )
    # The closed group's meetings are for its members: the guest loses the meeting itself.
    expect(main).to_contain_text(
        "Unless they sit on Closed working group, they will no longer see the meeting at all"
    )
    chair.keep_screenshot("withdraw-confirmation")
    main.get_by_role("link", name="Keep the invitation").click()
    chair.check()
    expect(chair.page).to_have_url(re.compile(rf"{re.escape(meeting_path)}#invitees$"))
    expect(_invited(chair)).to_contain_text(GUEST)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    mail.outbox.clear()

    # With the keyboard alone: Tab to the link, Enter, Tab to the button, Enter.
    chair.visit(meeting_path)
    _tab_to(chair, withdraw_guest)
    chair.keyboard.press("Enter")
    expect(heading).to_have_text(f"Withdraw the invitation of {GUEST}?")
    chair.check()
    confirm = main.get_by_role("button", name="Withdraw the invitation")
    _tab_to(chair, confirm)
    chair.keyboard.press("Enter")
    expect(chair.page).to_have_url(re.compile(rf"{re.escape(meeting_path)}$"))
    chair.check()
    _said(chair, f"The invitation of {GUEST} was withdrawn. They are told in Polku and by e-mail.")
    chair.keep_screenshot("withdraw-after")
    chair.keep_screenshot("withdraw-after-invited", chair.locator(".govuk-grid-column-one-third"))
    expect(_invited(chair)).not_to_contain_text(GUEST)
    expect(chair.get_by_role("heading", name="Invitations withdrawn")).to_be_visible()
    withdrawn_today = f"Withdrawn on {timezone.localdate():%-d.%-m.%Y} by {CHAIR}"
    expect(_withdrawn(chair).locator("li")).to_have_count(1)
    expect(_withdrawn(chair)).to_contain_text(GUEST)
    expect(_withdrawn(chair)).to_contain_text("Victim Support NGO")
    expect(_withdrawn(chair)).to_contain_text(withdrawn_today)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None and invitation.withdrawn_by == chair_user

    # The guest is e-mailed a cancellation that takes the meeting out of their calendar.
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [guest_user.email]
    assert message.subject.startswith(f"Invitation withdrawn: {TITLE}, ")
    assert "Your invitation to this meeting has been withdrawn." in str(message.body)
    assert len(message.attachments) == 1
    name, content, mimetype = message.attachments[0]
    assert name == "meeting.ics"
    assert mimetype.startswith("text/calendar; method=CANCEL")
    calendar = Calendar.from_ical(content)
    assert calendar["METHOD"] == "CANCEL"
    events = calendar.walk("VEVENT")
    assert len(events) == 1 and events[0]["STATUS"] == "CANCELLED"
    assert str(events[0]["SUMMARY"]) == TITLE

    # The guest is told in Polku too.
    guest.visit("/notifications/")
    expect(guest.locator("main")).to_contain_text(
        re.compile(rf"Your invitation to {re.escape(TITLE)} on .+ was withdrawn")
    )
    guest.keep_screenshot("withdraw-guest-notifications")

    # The closed group's meeting is gone for the guest: not found, and not in their list.
    guest.visit_error(meeting_path, 404)
    expect(guest.get_by_role("heading", level=1)).to_have_text("Page not found")
    guest.visit("/meetings/")
    expect(_meeting_list_links(guest)).to_have_count(0)
    expect(guest.locator("main")).to_contain_text("No meetings are coming up.")

    # The chair invites the guest again; the meeting comes back for them.
    chair.get_by_role("link", name="Invite someone else").click()
    chair.check()
    chair.get_by_label("Person and the organisation they represent").select_option(
        label=f"{GUEST} — Victim Support NGO"
    )
    chair.get_by_role("button", name="Invite", exact=True).click()
    chair.check()
    _said(chair, f"{GUEST} is invited as guest and was sent the invitation.")
    expect(_invited(chair)).to_contain_text(GUEST)
    expect(chair.locator("#withdrawn-invitations")).to_have_count(0)
    again = [message for message in mail.outbox if message.to == [guest_user.email]]
    assert len(again) == 2
    assert Calendar.from_ical(again[1].attachments[0][1])["METHOD"] == "REQUEST"

    guest.visit("/meetings/")
    _meeting_list_links(guest).click()
    guest.check()
    expect(guest.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(guest.get_by_role("heading", name="Are you coming?")).to_be_visible()
    assert Invitation.objects.filter(meeting=meeting, user=guest_user).count() == 1
    assert Meeting.objects.get(pk=meeting.pk).invitations.filter(withdrawn_at=None).count() == 3

    assert len(chair.checked) + len(guest.checked) >= 20
