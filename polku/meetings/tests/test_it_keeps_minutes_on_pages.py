"""The minutes pages: writing, a refused concurrent save that keeps the text, the workflow
forms, comparisons, Chatham House attendance, public reading and a flat query budget."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.actors.tests.factories import make_membership, make_organisation
from polku.audit.models import AuditEvent
from polku.meetings.choices import InvitationKind, MeetingStatus, MinutesAudience, MinutesStatus
from polku.meetings.diff import compare
from polku.meetings.models import Meeting, Minutes, MinutesComment
from polku.meetings.tests.factories import (
    make_action,
    make_agenda_item,
    make_decision,
    make_invitation,
    make_meeting,
    make_minutes,
)

TEXT = "1. Opening\nThe chair opened the meeting.\n2. Referral guideline\nThe draft was discussed."


@pytest.fixture
def meeting(personas: Personas) -> Meeting:
    started = timezone.now() - timedelta(days=2)
    meeting = make_meeting(
        body=personas.private_group,
        title="Working group, 3rd meeting",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        status=MeetingStatus.HELD,
    )
    personas.practitioner.first_name, personas.practitioner.last_name = "Aino", "Virtanen"
    personas.practitioner.save(update_fields=["first_name", "last_name"])
    make_invitation(meeting=meeting, user=personas.practitioner, organisation=personas.police)
    make_invitation(
        meeting=meeting, user=personas.ngo, organisation=personas.ngo_org, kind=InvitationKind.GUEST
    )
    return meeting


def _url(name: str, meeting: Meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk])


def _textarea(html: str) -> str:
    found = re.search(r"<textarea[^>]*name=\"text\"[^>]*>(.*?)</textarea>", html, re.S)
    assert found is not None
    return found.group(1).strip()


def _hidden_version(html: str) -> str:
    found = re.search(r"name=\"version\" value=\"(\d+)\"", html)
    assert found is not None
    return found.group(1)


def test_a_manager_writes_and_saves_versions(client_for: ClientFor, meeting: Meeting) -> None:
    client = client_for("secretariat")
    page = client.get(_url("minutes_edit", meeting))
    assert page.status_code == 200 and _hidden_version(page.content.decode()) == "0"
    response = client.post(
        _url("minutes_edit", meeting), {"text": TEXT, "note": "First draft", "version": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url("minutes_detail", meeting)
    detail = client.get(_url("minutes_detail", meeting)).content.decode()
    assert "The chair opened the meeting." in detail
    assert "Version 1 of the minutes saved." in detail
    assert _hidden_version(client.get(_url("minutes_edit", meeting)).content.decode()) == "1"


def test_a_concurrent_save_is_refused_and_the_text_is_shown_back(
    client_for: ClientFor, meeting: Meeting
) -> None:
    """Both managers open version 1. The coordinator saves first; the secretary's save is
    refused with a clear message, her text stays in the box, a comparison with version 2 is
    shown, and saving again makes her text version 3."""
    make_minutes(meeting=meeting, texts=[TEXT])
    secretary = client_for("secretariat")
    coordinator = client_for("coordinator")
    assert _hidden_version(secretary.get(_url("minutes_edit", meeting)).content.decode()) == "1"
    coordinator.post(
        _url("minutes_edit", meeting), {"text": TEXT + "\nCoordinator's line.", "version": "1"}
    )
    mine = TEXT + "\nSecretary's careful paragraph."
    response = secretary.post(_url("minutes_edit", meeting), {"text": mine, "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Your text was not saved, so nothing is lost" in html
    assert "Secretary&#x27;s careful paragraph." in _textarea(html)
    assert _hidden_version(html) == "2"
    assert "<del>" in html and "<ins>" in html
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.version == 2
    assert minutes.versions.get(number=2).text.endswith("Coordinator's line.")
    again = secretary.post(_url("minutes_edit", meeting), {"text": mine, "version": "2"})
    assert again.status_code == 302
    minutes.refresh_from_db()
    assert minutes.version == 3
    assert minutes.versions.get(number=3).text == mine


def test_a_chatham_house_text_is_refused_with_the_names(
    client_for: ClientFor, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(chatham_house=True)
    text = "Aino Virtanen said interpreters are missing at night."
    client = client_for("secretariat")
    page = client.get(_url("minutes_edit", meeting)).content.decode()
    assert "Chatham House rule" in page
    response = client.post(_url("minutes_edit", meeting), {"text": text, "version": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove these names: “Aino Virtanen”" in html
    assert "interpreters are missing at night" in _textarea(html)
    assert not Minutes.objects.exists()


def test_approved_minutes_cannot_be_edited(client_for: ClientFor, meeting: Meeting) -> None:
    make_minutes(meeting=meeting, status=MinutesStatus.APPROVED)
    client = client_for("secretariat")
    response = client.get(_url("minutes_edit", meeting))
    assert response.status_code == 302
    response = client.post(_url("minutes_edit", meeting), {"text": "Changed", "version": "1"})
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=meeting).version == 1


def test_the_workflow_through_the_page(
    client_for: ClientFor, personas: Personas, meeting: Meeting
) -> None:
    """Circulate with a deadline, comment as a guest, approve as the chair, publish to the
    public; an anonymous visitor then reads them."""
    make_minutes(meeting=meeting, texts=[TEXT])
    manager = client_for("secretariat")
    detail = manager.get(_url("minutes_detail", meeting)).content.decode()
    assert "Circulate for comments" in detail and "Approve as chair" not in detail
    past = manager.post(
        _url("minutes_circulate", meeting),
        {"comment_deadline": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 200
    assert "Give a deadline for comments that is today or later." in past.content.decode()
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert (
        manager.post(_url("minutes_circulate", meeting), {"comment_deadline": deadline}).status_code
        == 302
    )

    guest = client_for("ngo")
    page = guest.get(_url("minutes_detail", meeting)).content.decode()
    assert "Add comment" in page and "Circulate for comments" not in page
    empty = guest.post(_url("minutes_comment", meeting), {"text": ""})
    assert "Write your comment." in empty.content.decode()
    assert (
        guest.post(_url("minutes_comment", meeting), {"text": "Item 2 is incomplete."}).status_code
        == 302
    )
    assert "Item 2 is incomplete." in manager.get(_url("minutes_detail", meeting)).content.decode()

    assert manager.post(_url("minutes_approve", meeting)).status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.APPROVED
    detail = manager.get(_url("minutes_detail", meeting)).content.decode()
    assert "Publish" in detail
    assert manager.post(_url("minutes_publish", meeting), {"audience": "public"}).status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.audience) == (MinutesStatus.PUBLISHED, MinutesAudience.PUBLIC)
    public = client_for("anonymous").get(_url("minutes_detail", meeting))
    assert public.status_code == 200
    html = public.content.decode()
    assert "The chair opened the meeting." in html
    assert "Item 2 is incomplete." not in html  # comments are the participants'


def test_approval_at_a_later_meeting_through_the_page(
    client_for: ClientFor, meeting: Meeting
) -> None:
    make_minutes(meeting=meeting, status=MinutesStatus.CIRCULATED)
    next_start = meeting.starts_at + timedelta(days=1)
    later = make_meeting(
        body=meeting.body,
        title="Working group, 4th meeting",
        starts_at=next_start,
        ends_at=next_start + timedelta(hours=1),
        status=MeetingStatus.HELD,
    )
    client = client_for("secretariat2")
    detail = client.get(_url("minutes_detail", meeting)).content.decode()
    assert "Working group, 4th meeting" in detail and "Approve as chair" not in detail
    missing = client.post(_url("minutes_approve", meeting), {"at_meeting": ""})
    assert "Choose the meeting that approved the minutes." in missing.content.decode()
    response = client.post(_url("minutes_approve", meeting), {"at_meeting": str(later.pk)})
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.approved_at_meeting == later
    assert (
        "At the meeting “Working group, 4th meeting”"
        in client.get(_url("minutes_detail", meeting)).content.decode()
    )


def test_attendance_is_named_except_under_the_chatham_house_rule(
    client_for: ClientFor, meeting: Meeting
) -> None:
    make_minutes(meeting=meeting, status=MinutesStatus.PUBLISHED, audience=MinutesAudience.PUBLIC)
    named = client_for("anonymous").get(_url("minutes_detail", meeting)).content.decode()
    assert "Aino Virtanen" in named and "Victim Support NGO" in named
    Meeting.objects.filter(pk=meeting.pk).update(chatham_house=True)
    for persona in ("anonymous", "ngo", "secretariat"):
        html = client_for(persona).get(_url("minutes_detail", meeting)).content.decode()
        assert "Aino Virtanen" not in html
        assert "Victim Support NGO" not in html
        assert "Chatham House rule" in html
        assert "Not recorded: 2" in html


def test_reads_of_unpublished_minutes_are_audited(client_for: ClientFor, meeting: Meeting) -> None:
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.CIRCULATED)
    client_for("practitioner").get(_url("minutes_detail", meeting))
    event = AuditEvent.objects.get(action="meetings.minutes.view")
    assert event.target_id == str(minutes.pk)
    Minutes.objects.filter(pk=minutes.pk).update(status=MinutesStatus.PUBLISHED)
    client_for("practitioner").get(_url("minutes_detail", meeting))
    assert AuditEvent.objects.filter(action="meetings.minutes.view").count() == 1


# --- Comparing versions ----------------------------------------------------------------


def test_it_compares_words_within_a_changed_line() -> None:
    comparison = compare("The group met in Helsinki.", "The group met online.", context=None)
    (row,) = comparison.side_by_side
    assert row.kind == "replace"
    assert [(s.text, s.change) for s in row.old] == [
        ("The group met ", "same"),
        ("in Helsinki.", "removed"),
    ]
    assert [(s.text, s.change) for s in row.new] == [
        ("The group met ", "same"),
        ("online.", "added"),
    ]
    assert (comparison.added, comparison.removed) == (1, 1)


def test_it_folds_long_unchanged_runs() -> None:
    old = "\n".join(f"Line {n}" for n in range(1, 21))
    new = old.replace("Line 10", "Line ten")
    comparison = compare(old, new)
    kinds = [row.kind for row in comparison.side_by_side]
    assert kinds == ["gap", *["equal"] * 3, "replace", *["equal"] * 3, "gap"]
    assert [row.skipped for row in comparison.side_by_side if row.kind == "gap"] == [6, 7]
    assert [line.change for line in comparison.unified if line.change != "same"] == [
        "gap",
        "removed",
        "added",
        "gap",
    ]
    assert compare(old, old).unchanged


def test_the_diff_page_marks_changes_in_words_not_only_colour(
    client_for: ClientFor, meeting: Meeting
) -> None:
    make_minutes(
        meeting=meeting,
        texts=[TEXT, TEXT.replace("was discussed", "was approved") + "\n3. Closing"],
        status=MinutesStatus.CIRCULATED,
    )
    client = client_for("practitioner")
    side = client.get(_url("minutes_diff", meeting) + "?a=1&b=2").content.decode()
    assert (
        '<del><span class="govuk-visually-hidden">[removed: </span>discussed.'
        '<span class="govuk-visually-hidden">]</span></del>'
    ) in side
    assert "[removed:" in side and "[added:" in side
    assert "<ins>" in side and "<del>" in side
    assert "Version 1 and Version 2 side by side" in side
    unified = client.get(_url("minutes_diff", meeting) + "?a=1&b=2&layout=unified").content.decode()
    assert ">Added<" in unified and ">Removed<" in unified
    assert "1 line added" not in unified  # two lines were added: the changed one and item 3
    assert "2 lines added" in unified and "1 line removed" in unified
    versions = client.get(_url("minutes_versions", meeting)).content.decode()
    assert "2 versions" in versions


def test_a_wrong_version_number_is_a_form_error(client_for: ClientFor, meeting: Meeting) -> None:
    make_minutes(meeting=meeting, texts=[TEXT, TEXT + "\nMore."], status=MinutesStatus.CIRCULATED)
    response = client_for("secretariat").get(_url("minutes_diff", meeting) + "?a=7&b=x")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


# --- Query budget ----------------------------------------------------------------------


def _fill(personas: Personas, meeting: Meeting, minutes: Minutes, n: int) -> None:
    for index in range(n):
        membership = make_membership(organisation=make_organisation(), role="practitioner")
        make_invitation(meeting=meeting, user=membership.user, organisation=membership.organisation)
        item = make_agenda_item(meeting=meeting, title=f"Item {index}")
        decision = make_decision(item=item, text=f"Decision {index}")
        make_action(
            item=item,
            decision=decision,
            owner=membership.user,
            owner_organisation=membership.organisation,
            deputy=personas.practitioner,
            status="done" if index % 2 else "open",
        )
        MinutesComment.objects.create(
            minutes=minutes,
            version=minutes.versions.get(number=1),
            author=membership.user,
            text=f"Comment {index}",
        )


def _queries(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["secretariat", "practitioner"])
def test_the_minutes_page_keeps_a_flat_query_budget(
    client_for: ClientFor, personas: Personas, meeting: Meeting, persona: str
) -> None:
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.CIRCULATED)
    url = _url("minutes_detail", meeting)
    _fill(personas, meeting, minutes, 1)
    one = _queries(client_for, persona, url)
    _fill(personas, meeting, minutes, 19)
    twenty = _queries(client_for, persona, url)
    assert twenty == one
    assert one <= 40


def test_the_public_minutes_page_keeps_a_flat_query_budget(
    client_for: ClientFor,
    personas: Personas,
    meeting: Meeting,
    django_assert_max_num_queries: object,
) -> None:
    minutes = make_minutes(
        meeting=meeting, status=MinutesStatus.PUBLISHED, audience=MinutesAudience.PUBLIC
    )
    _fill(personas, meeting, minutes, 20)
    client = client_for("anonymous")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(_url("minutes_detail", meeting)).status_code == 200
