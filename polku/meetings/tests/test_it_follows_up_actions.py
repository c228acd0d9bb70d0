"""Actions from decisions and agenda items: recording them, progress notes and status,
the owner's list, the body's follow-up list and its review at a meeting."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.actors.tests.factories import (
    make_body_member,
    make_membership,
    make_organisation,
    make_user,
)
from polku.audit.models import AuditEvent
from polku.meetings.choices import ActionStatus, AgendaItemStatus, MeetingStatus
from polku.meetings.models import ActionItem, ActionNote, AgendaItem, Meeting
from polku.meetings.permissions import action_scope
from polku.meetings.services.actions import (
    ActionInput,
    action_add_note,
    action_create,
    action_update,
    actions_mark_reviewed,
)
from polku.meetings.tests.factories import (
    make_action,
    make_agenda_item,
    make_decision,
    make_invitation,
    make_meeting,
)
from polku.notifications.models import Notification


def _meeting(personas: Personas, days_ago: int = 1, **fields: Any) -> Meeting:
    started = timezone.now() - timedelta(days=days_ago)
    return make_meeting(
        body=fields.pop("body", personas.secretariat_body),
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        status=fields.pop("status", MeetingStatus.HELD),
        **fields,
    )


@pytest.fixture
def item(personas: Personas) -> AgendaItem:
    return make_agenda_item(meeting=_meeting(personas), title="Referral guideline")


def _input(personas: Personas, **overrides: Any) -> ActionInput:
    values: dict[str, Any] = {
        "title": "Draft the referral guideline",
        "owner": personas.secretariat,
        "owner_organisation": personas.justice,
        "deputy": personas.secretariat2,
        "due_on": timezone.localdate() + timedelta(days=30),
    }
    values.update(overrides)
    return ActionInput(**values)


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# --- Recording -------------------------------------------------------------------------


def test_it_records_an_action_from_a_decision_and_tells_owner_and_deputy(
    personas: Personas, item: AgendaItem
) -> None:
    decision = make_decision(item=item)
    action = action_create(
        actor=personas.coordinator, item=item, data=_input(personas, decision=decision)
    )
    assert (action.body, action.item, action.decision) == (
        personas.secretariat_body,
        item,
        decision,
    )
    assert action.status == ActionStatus.OPEN and action.created_by == personas.coordinator
    assert _told("meetings.action_assigned") == {"secretariat", "secretariat2"}
    assert AuditEvent.objects.filter(action="meetings.action.create").count() == 1


def test_the_owner_may_act_for_the_organisation_they_were_invited_for(
    personas: Personas, item: AgendaItem
) -> None:
    """The practitioner holds no membership of the ministry but represents it at the body."""
    make_body_member(
        body=item.meeting.body, user=personas.practitioner, organisation=personas.justice
    )
    action = action_create(
        actor=personas.secretariat,
        item=item,
        data=_input(personas, owner=personas.practitioner, deputy=None),
    )
    assert action.owner_organisation == personas.justice


@pytest.mark.parametrize(
    ("case", "field", "overrides"),
    [
        ("an owner without a role", "owner", {"owner": "outsider"}),
        ("someone else's organisation", "owner_organisation", {"owner_organisation": "police"}),
        ("the owner as deputy", "deputy", {"deputy": "secretariat"}),
        ("a deputy without a role", "deputy", {"deputy": "outsider"}),
        ("a due date gone by", "due_on", {"due_on": -1}),
        ("no title", "title", {"title": "  "}),
    ],
)
def test_it_refuses_an_action_it_cannot_follow_up(
    personas: Personas, item: AgendaItem, case: str, field: str, overrides: dict[str, Any]
) -> None:
    for key, value in list(overrides.items()):
        if key == "due_on":
            overrides[key] = timezone.localdate() + timedelta(days=value)
        elif key != "title":
            overrides[key] = getattr(personas, value)
    with pytest.raises(ValidationError) as refused:
        action_create(actor=personas.secretariat, item=item, data=_input(personas, **overrides))
    assert field in refused.value.message_dict
    assert not ActionItem.objects.exists() and not Notification.objects.exists()


def test_it_refuses_a_decision_of_another_item_and_a_proposed_item(
    personas: Personas, item: AgendaItem
) -> None:
    other = make_decision(item=make_agenda_item(meeting=item.meeting))
    with pytest.raises(ValidationError) as refused:
        action_create(actor=personas.secretariat, item=item, data=_input(personas, decision=other))
    assert "decision" in refused.value.message_dict
    proposed = make_agenda_item(meeting=item.meeting, status=AgendaItemStatus.PROPOSED)
    with pytest.raises(ValidationError):
        action_create(actor=personas.secretariat, item=proposed, data=_input(personas))
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("name", ["practitioner", "ngo", "decisionmaker", "admin"])
def test_only_managers_record_actions(personas: Personas, item: AgendaItem, name: str) -> None:
    with pytest.raises(PermissionDenied):
        action_create(actor=getattr(personas, name), item=item, data=_input(personas))
    assert not ActionItem.objects.exists()


def test_a_manager_changes_an_action_and_the_new_deputy_hears(
    personas: Personas, item: AgendaItem
) -> None:
    action = make_action(item=item, owner=personas.secretariat, owner_organisation=personas.justice)
    later = action.due_on + timedelta(days=14)
    action_update(
        actor=personas.coordinator,
        action=action,
        data=_input(personas, title="Draft and consult", due_on=later),
    )
    action.refresh_from_db()
    assert (action.title, action.due_on, action.deputy) == (
        "Draft and consult",
        later,
        personas.secretariat2,
    )
    assert _told("meetings.action_assigned") == {"secretariat2"}
    event = AuditEvent.objects.get(action="meetings.action.update")
    assert event.before is not None and event.after is not None
    assert event.before["title"] == "Draft the referral guideline"
    assert event.after["title"] == "Draft and consult"
    with pytest.raises(PermissionDenied):
        action_update(actor=personas.practitioner, action=action, data=_input(personas))


# --- Progress --------------------------------------------------------------------------


@pytest.fixture
def action(personas: Personas, item: AgendaItem) -> ActionItem:
    """An action owned by the practitioner for the police, with the NGO worker as deputy:
    neither manages the secretariat's meetings."""
    return make_action(
        item=item,
        owner=personas.practitioner,
        owner_organisation=personas.police,
        deputy=personas.ngo,
    )


def test_the_owner_reports_progress_and_finishes(personas: Personas, action: ActionItem) -> None:
    """A note alone changes nothing else; "in progress", then "done" with today's date;
    reopening clears the date. Each note is audited; status changes reach the chair."""
    action_add_note(actor=personas.practitioner, action=action, text="Met the ministry.")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    action_add_note(actor=personas.ngo, action=action, text="Drafting.", status="in_progress")
    action_add_note(actor=personas.practitioner, action=action, text="Sent.", status="done")
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.DONE, timezone.localdate())
    action_add_note(
        actor=personas.practitioner, action=action, text="One part missing.", status="in_progress"
    )
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.IN_PROGRESS, None)
    assert list(ActionNote.objects.order_by("pk").values_list("status", flat=True)) == [
        "",
        "in_progress",
        "done",
        "in_progress",
    ]
    assert AuditEvent.objects.filter(action="meetings.action.note").count() == 4
    assert "coordinator" in _told("meetings.action_progress")  # the chair of the body


@pytest.mark.parametrize(
    ("start", "to", "actor", "error"),
    [
        (ActionStatus.DONE, ActionStatus.CANCELLED, "coordinator", ValidationError),
        (ActionStatus.DONE, ActionStatus.OPEN, "practitioner", ValidationError),
        (ActionStatus.CANCELLED, ActionStatus.DONE, "coordinator", ValidationError),
        (ActionStatus.OPEN, "finished", "practitioner", ValidationError),
        (ActionStatus.OPEN, ActionStatus.CANCELLED, "practitioner", PermissionDenied),
        (ActionStatus.CANCELLED, ActionStatus.OPEN, "ngo", PermissionDenied),
        (ActionStatus.OPEN, ActionStatus.DONE, "decisionmaker", PermissionDenied),
        (ActionStatus.OPEN, ActionStatus.DONE, "rapporteur", PermissionDenied),
    ],
)
def test_illegal_status_moves_are_refused_and_change_nothing(
    personas: Personas,
    action: ActionItem,
    start: str,
    to: str,
    actor: str,
    error: type[Exception],
) -> None:
    """Moves the lifecycle does not allow, cancelling or reopening by the owner or deputy
    (the managers' to do), and anyone else reporting progress."""
    ActionItem.objects.filter(pk=action.pk).update(status=start)
    action.refresh_from_db()
    audits = AuditEvent.objects.count()
    with pytest.raises(error):
        action_add_note(actor=getattr(personas, actor), action=action, text="Note", status=to)
    action.refresh_from_db()
    assert action.status == start
    assert not ActionNote.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_managers_cancel_and_reopen(personas: Personas, action: ActionItem) -> None:
    action_add_note(
        actor=personas.coordinator, action=action, text="Overtaken.", status="cancelled"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    action_add_note(actor=personas.coordinator, action=action, text="Back on.", status="open")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


# --- Review at a meeting ---------------------------------------------------------------


def test_managers_mark_open_actions_reviewed_at_a_meeting(
    personas: Personas, action: ActionItem
) -> None:
    review = _meeting(personas, days_ago=0)
    second = make_action(item=action.item, owner=personas.secretariat)
    count = actions_mark_reviewed(
        actor=personas.secretariat, body=action.body, meeting=review, actions=[action, second]
    )
    assert count == 2
    action.refresh_from_db()
    assert action.reviewed_at == review
    assert AuditEvent.objects.filter(action="meetings.action.review").count() == 2
    assert (
        actions_mark_reviewed(
            actor=personas.secretariat, body=action.body, meeting=review, actions=[action]
        )
        == 0
    )


@pytest.mark.parametrize(
    "case", ["future meeting", "cancelled meeting", "other body", "closed action", "nothing"]
)
def test_a_review_it_cannot_record_is_refused(
    personas: Personas, action: ActionItem, case: str
) -> None:
    meeting = _meeting(personas)
    actions = [action]
    if case == "future meeting":
        meeting = _meeting(personas, days_ago=-3, status=MeetingStatus.SCHEDULED)
    elif case == "cancelled meeting":
        meeting = _meeting(personas, status=MeetingStatus.CANCELLED)
    elif case == "other body":
        meeting = _meeting(personas, body=personas.private_group)
    elif case == "closed action":
        actions.append(make_action(item=action.item, status=ActionStatus.DONE))
    else:
        actions = []
    with pytest.raises(ValidationError):
        actions_mark_reviewed(
            actor=personas.secretariat, body=action.body, meeting=meeting, actions=actions
        )
    assert not ActionItem.objects.filter(reviewed_at__isnull=False).exists()
    with pytest.raises(PermissionDenied):
        actions_mark_reviewed(
            actor=personas.practitioner, body=action.body, meeting=meeting, actions=[action]
        )


# --- Pages -----------------------------------------------------------------------------


def test_a_manager_records_an_action_on_the_page(
    client_for: ClientFor, personas: Personas, item: AgendaItem
) -> None:
    decision = make_decision(item=item, text="A guideline is drafted.")
    client = client_for("secretariat")
    url = reverse("meetings:action_create", args=[item.pk])
    page = client.get(f"{url}?decision={decision.pk}").content.decode()
    assert f'<option value="{decision.pk}" selected>' in page
    refused = client.post(url, {"title": "", "owner": "", "owner_organisation": ""})
    assert "Say what is to be done." in refused.content.decode()
    response = client.post(
        url,
        {
            "title": "Draft it",
            "decision": str(decision.pk),
            "owner": str(personas.secretariat.pk),
            "owner_organisation": str(personas.justice.pk),
            "deputy": str(personas.secretariat2.pk),
            "due_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        },
    )
    action = ActionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.decision == decision


def test_the_owner_reports_progress_on_the_page(
    client_for: ClientFor, personas: Personas, action: ActionItem
) -> None:
    client = client_for("practitioner")  # the owner
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Record progress" in page
    assert '<option value="cancelled">' not in page  # the managers cancel
    assert "Edit the action" not in page
    empty = client.post(reverse("meetings:action_note", args=[action.pk]), {"text": ""})
    assert "Say what has happened." in empty.content.decode()
    response = client.post(
        reverse("meetings:action_note", args=[action.pk]),
        {"text": "Half done.", "status": "in_progress"},
    )
    assert response.status_code == 302
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Half done." in page and "In progress" in page
    manager_page = client_for("coordinator").get(action.get_absolute_url()).content.decode()
    assert '<option value="cancelled">' in manager_page and "Edit the action" in manager_page


def test_my_actions_lists_open_ones_first_and_marks_the_overdue(
    client_for: ClientFor, personas: Personas, item: AgendaItem
) -> None:
    today = timezone.localdate()
    make_action(item=item, owner=personas.practitioner, title="Finished", status="done")
    make_action(
        item=item,
        owner=personas.ngo,
        deputy=personas.practitioner,
        title="Late one",
        due_on=today - timedelta(days=3),
    )
    make_action(
        item=item,
        owner=personas.practitioner,
        title="Next month",
        due_on=today + timedelta(days=30),
    )
    make_action(item=item, owner=personas.ngo, title="Not mine")
    html = client_for("practitioner").get(reverse("meetings:my_actions")).content.decode()
    assert "3 actions" in html and "Not mine" not in html
    assert html.index("Late one") < html.index("Next month") < html.index("Finished")
    assert html.count(">Overdue<") == 1


def test_the_follow_up_list_and_its_review(
    client_for: ClientFor, personas: Personas, action: ActionItem
) -> None:
    review = _meeting(personas, days_ago=0, title="Secretariat, December")
    make_action(item=action.item, owner=personas.ngo, title="Closed", status="done")
    url = reverse("meetings:body_actions", args=[action.body.pk])
    reader = client_for("decisionmaker").get(url).content.decode()
    assert "1 open action" in reader and "Closed" not in reader
    assert "Mark the chosen actions as reviewed" not in reader
    manager = client_for("secretariat")
    assert "Secretariat, December" in manager.get(url).content.decode()
    nothing = manager.post(
        reverse("meetings:action_review", args=[action.body.pk]), {"meeting": str(review.pk)}
    )
    assert "Choose at least one action." in nothing.content.decode()
    response = manager.post(
        reverse("meetings:action_review", args=[action.body.pk]),
        {"meeting": str(review.pk), "actions": [str(action.pk)]},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.reviewed_at == review
    refused = client_for("practitioner").post(
        reverse("meetings:action_review", args=[action.body.pk]),
        {"meeting": str(review.pk), "actions": [str(action.pk)]},
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("name", "detail", "edit", "mine", "follow_up"),
    [
        ("coordinator", 200, 200, 200, 200),
        ("secretariat", 200, 200, 200, 200),
        ("practitioner", 200, 403, 200, 200),  # the owner
        ("decisionmaker", 200, 403, 200, 200),
        ("outsider", 404, 404, 403, 404),
        ("anonymous", 302, 302, 302, 302),
    ],
)
def test_who_opens_the_action_pages(
    client_for: ClientFor,
    action: ActionItem,
    name: str,
    detail: int,
    edit: int,
    mine: int,
    follow_up: int,
) -> None:
    client = client_for(name)
    assert client.get(action.get_absolute_url()).status_code == detail
    assert client.get(reverse("meetings:action_edit", args=[action.pk])).status_code == edit
    assert client.get(reverse("meetings:my_actions")).status_code == mine
    assert (
        client.get(reverse("meetings:body_actions", args=[action.body.pk])).status_code == follow_up
    )


def test_actions_of_a_closed_body_are_for_its_members_and_their_owners(
    client_for: ClientFor, personas: Personas
) -> None:
    item = make_agenda_item(meeting=_meeting(personas, body=personas.private_group))
    owner = make_user(username="owner")
    make_membership(user=owner, organisation=personas.ngo_org, role="practitioner")
    action = make_action(item=item, owner=owner)
    assert client_for("decisionmaker").get(action.get_absolute_url()).status_code == 404
    assert client_for("practitioner").get(action.get_absolute_url()).status_code == 200
    owner_client = client_for("anonymous")
    owner_client.force_login(owner)
    response = owner_client.get(action.get_absolute_url())
    assert response.status_code == 200
    # The owner is sent back to their own list, not to the closed body's pages.
    html = response.content.decode()
    assert reverse("meetings:my_actions") in html
    assert reverse("meetings:body_work", args=[action.body.pk]) not in html


# --- Query budgets ---------------------------------------------------------------------


def _add_actions(personas: Personas, item: AgendaItem, n: int) -> None:
    for index in range(n):
        membership = make_membership(organisation=make_organisation(), role="practitioner")
        make_action(
            item=item,
            owner=personas.practitioner if index % 2 else membership.user,
            owner_organisation=membership.organisation,
            deputy=membership.user if index % 2 else personas.practitioner,
            reviewed_at=item.meeting,
            due_on=timezone.localdate() + timedelta(days=index - 5),
            status="in_progress" if index % 3 else "open",
        )


def _add_notes(personas: Personas, action: ActionItem, n: int) -> None:
    for index in range(n):
        author = make_membership(organisation=make_organisation(), role="secretariat").user
        ActionNote.objects.create(action=action, author=author, text=f"Note {index}")


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("page", "persona"),
    [
        ("mine", "practitioner"),
        ("follow-up", "secretariat"),
        ("follow-up", "decisionmaker"),
        ("detail", "coordinator"),
    ],
)
def test_the_action_pages_keep_a_flat_query_budget(
    client_for: ClientFor,
    personas: Personas,
    action: ActionItem,
    page: str,
    persona: str,
    django_assert_max_num_queries: Any,
) -> None:
    urls = {
        "mine": reverse("meetings:my_actions"),
        "follow-up": reverse("meetings:body_actions", args=[action.body.pk]),
        "detail": action.get_absolute_url(),
    }
    url = urls[page]
    item = action.item
    assert item is not None

    def fill(n: int) -> None:
        if page == "detail":
            _add_notes(personas, action, n)
        else:
            _add_actions(personas, item, n)

    fill(1)
    one = _count(client_for, persona, url)
    fill(19)
    assert _count(client_for, persona, url) == one
    client = client_for(persona)
    client.get(url)
    with django_assert_max_num_queries(20):
        client.get(url)


def test_actions_of_a_chatham_house_meeting_are_for_its_participants_only(
    personas: Personas, client_for: ClientFor
) -> None:
    """Who took on what at a Chatham House meeting would tell who attended: an insider who
    neither sat on the body nor was invited does not see its actions, on any page."""
    meeting = make_meeting(body=personas.secretariat_body, chatham_house=True)
    make_invitation(meeting=meeting, user=personas.ngo, organisation=personas.ngo_org)
    item = make_agenda_item(meeting=meeting, proposed_by=personas.coordinator)
    action = make_action(
        item=item,
        owner=personas.ngo,
        owner_organisation=personas.ngo_org,
        title="Ask the shelters what men need",
    )
    open_meeting = make_meeting(body=personas.secretariat_body)
    visible = make_action(
        item=make_agenda_item(meeting=open_meeting, proposed_by=personas.coordinator)
    )

    assert set(action_scope(personas.practitioner)) == {visible}
    assert action in action_scope(personas.ngo)  # invited, and the owner
    assert action in action_scope(personas.secretariat)  # a member of the body
    assert client_for("practitioner").get(action.get_absolute_url()).status_code == 404
    body_page = reverse("meetings:body_actions", kwargs={"pk": personas.secretariat_body.pk})
    page = client_for("practitioner").get(body_page).content.decode()
    assert visible.title in page
    assert action.title not in page and str(personas.ngo) not in page
