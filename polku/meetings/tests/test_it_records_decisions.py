"""Decisions on agenda items: who records them and when, closing a challenge's loop, and the
body's decisions log with search, dates, pages and a flat query budget."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import AgendaItem, Decision, Meeting
from polku.meetings.services.decisions import decision_record
from polku.meetings.tests.factories import make_agenda_item, make_decision, make_meeting
from polku.notifications.models import Notification
from polku.voice.choices import ChallengeStatus, OutcomeKind
from polku.voice.models import Challenge
from polku.voice.tests.factories import make_challenge


def _held(personas: Personas, **fields: Any) -> Meeting:
    started = fields.pop("starts_at", timezone.now() - timedelta(days=1))
    return make_meeting(
        body=fields.pop("body", personas.secretariat_body),
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        status=fields.pop("status", MeetingStatus.HELD),
        **fields,
    )


@pytest.fixture
def challenge(personas: Personas) -> Challenge:
    return make_challenge(
        submitted_by=personas.practitioner,
        status=ChallengeStatus.ON_AGENDA,
        title="Labour inspectors cannot reach the police at night",
    )


@pytest.fixture
def item(personas: Personas, challenge: Challenge) -> AgendaItem:
    return make_agenda_item(
        meeting=_held(personas), challenge=challenge, title="Night-time referrals"
    )


def test_a_decision_on_a_challenge_closes_its_loop(
    personas: Personas,
    item: AgendaItem,
    challenge: Challenge,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The decision is recorded for the meeting's body; the challenge becomes addressed,
    its outcome links to the decision, and its submitter hears of it in Polku and by e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_record(
            actor=personas.coordinator,
            item=item,
            text="The police open a night-time referral line for labour inspectors.",
        )
    assert decision.body == personas.secretariat_body
    assert decision.decided_on == timezone.localdate(item.meeting.starts_at)
    assert decision.created_by == personas.coordinator
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ADDRESSED
    outcome = challenge.outcomes.get()
    assert outcome.kind == OutcomeKind.DECISION
    assert outcome.link_id == str(decision.pk)
    assert outcome.link_type is not None and outcome.link_type.model_class() is Decision
    assert Notification.objects.filter(recipient=personas.practitioner).exists()
    assert "practitioner@example.org" in [address for m in mail.outbox for address in m.to]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"meetings.decision.record", "voice.challenge.record_outcome"} <= actions


def test_a_decision_without_a_challenge_touches_no_challenge(personas: Personas) -> None:
    item = make_agenda_item(meeting=_held(personas))
    decision = decision_record(actor=personas.secretariat, item=item, text="Noted.")
    assert decision.item == item
    assert not Notification.objects.exists()


def test_a_meeting_starting_today_takes_decisions(personas: Personas) -> None:
    today = _held(personas, starts_at=timezone.now(), status=MeetingStatus.SCHEDULED)
    decision = decision_record(
        actor=personas.secretariat, item=make_agenda_item(meeting=today), text="Agreed."
    )
    assert decision.decided_on == timezone.localdate()


def _nothing_changed(challenge: Challenge) -> None:
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ON_AGENDA
    assert not Decision.objects.exists()
    assert not challenge.outcomes.exists()
    assert not AuditEvent.objects.filter(action__startswith="meetings.decision").exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("case", "item_fields", "meeting_fields", "kwargs"),
    [
        ("a proposed item", {"status": AgendaItemStatus.PROPOSED}, {}, {}),
        ("a declined item", {"status": AgendaItemStatus.DECLINED}, {}, {}),
        ("a cancelled meeting", {}, {"status": MeetingStatus.CANCELLED}, {}),
        (
            "a meeting still to come",
            {},
            {"starts_at": timezone.now() + timedelta(days=3), "status": MeetingStatus.SCHEDULED},
            {},
        ),
        ("an empty text", {}, {}, {"text": "   "}),
        ("a date in the future", {}, {}, {"decided_on": date.today() + timedelta(days=9)}),
        ("a date before the meeting", {}, {}, {"decided_on": date(2020, 1, 1)}),
    ],
)
def test_it_refuses_decisions_it_should_not_record(
    personas: Personas,
    challenge: Challenge,
    case: str,
    item_fields: dict[str, Any],
    meeting_fields: dict[str, Any],
    kwargs: dict[str, Any],
) -> None:
    item = make_agenda_item(
        meeting=_held(personas, **meeting_fields), challenge=challenge, **item_fields
    )
    with pytest.raises(ValidationError):
        decision_record(
            actor=personas.secretariat,
            item=item,
            text=kwargs.get("text", "Agreed."),
            decided_on=kwargs.get("decided_on"),
        )
    _nothing_changed(challenge)


@pytest.mark.parametrize("name", ["practitioner", "ngo", "decisionmaker", "admin"])
def test_only_managers_record_decisions(
    personas: Personas, item: AgendaItem, challenge: Challenge, name: str
) -> None:
    with pytest.raises(PermissionDenied):
        decision_record(actor=getattr(personas, name), item=item, text="Agreed.")
    _nothing_changed(challenge)


def test_a_refusal_from_the_challenge_rolls_the_decision_back(
    personas: Personas, challenge: Challenge
) -> None:
    """An item about a challenge still in draft: Voice refuses, and no decision is left."""
    draft = make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT)
    item = make_agenda_item(meeting=_held(personas), challenge=draft)
    with pytest.raises(ValidationError):
        decision_record(actor=personas.secretariat, item=item, text="Agreed.")
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action="meetings.decision.record").exists()


# --- Pages -----------------------------------------------------------------------------


def test_a_manager_records_a_decision_on_the_page(
    client_for: ClientFor, personas: Personas, item: AgendaItem, challenge: Challenge
) -> None:
    client = client_for("secretariat")
    url = reverse("meetings:decision_create", args=[item.pk])
    page = client.get(url).content.decode()
    assert challenge.reference is not None
    assert "Night-time referrals" in page and challenge.reference in page
    refused = client.post(url, {"text": "", "decided_on": ""})
    assert "Write what was decided." in refused.content.decode()
    response = client.post(
        url,
        {
            "text": "A referral line opens.",
            "decided_on": timezone.localdate(item.meeting.starts_at).isoformat(),
        },
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ADDRESSED
    minutes_page = client.get(response["Location"]).content.decode()
    assert "A referral line opens." in minutes_page
    assert f"The people following {challenge.reference} were told of it." in minutes_page


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("coordinator", 200),
        ("secretariat2", 200),
        ("practitioner", 403),
        ("decisionmaker", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_decision_page(
    client_for: ClientFor, item: AgendaItem, name: str, status: int
) -> None:
    response = client_for(name).get(reverse("meetings:decision_create", args=[item.pk]))
    assert response.status_code == status


@pytest.fixture
def log(personas: Personas) -> list[Decision]:
    """Three decisions of the secretariat over three months, and one of the closed group."""
    decisions = []
    for day, text in (
        (date(2026, 9, 10), "Interpreters are to be available at night."),
        (date(2026, 10, 8), "A referral checklist is adopted."),
        (date(2026, 11, 5), "The checklist is translated into Swedish."),
    ):
        meeting = _held(
            personas, starts_at=timezone.make_aware(datetime(day.year, day.month, day.day, 10))
        )
        decisions.append(make_decision(item=make_agenda_item(meeting=meeting), text=text))
    make_decision(
        item=make_agenda_item(meeting=_held(personas, body=personas.private_group)),
        text="A closed matter.",
    )
    return decisions


def _log_url(personas: Personas, query: str = "") -> str:
    return reverse("meetings:decision_list", args=[personas.secretariat_body.pk]) + query


def test_the_log_searches_words_and_dates(
    client_for: ClientFor, personas: Personas, log: list[Decision]
) -> None:
    client = client_for("decisionmaker")
    everything = client.get(_log_url(personas)).content.decode()
    assert "3 decisions" in everything and "A closed matter." not in everything
    assert everything.index("translated into Swedish") < everything.index("Interpreters")
    found = client.get(_log_url(personas, "?q=checklist")).content.decode()
    assert "2 decisions" in found and "Interpreters" not in found
    dated = client.get(_log_url(personas, "?date_from=2026-10-01&date_to=2026-10-31"))
    assert "1 decision" in dated.content.decode()
    assert "A referral checklist is adopted." in dated.content.decode()
    none = client.get(_log_url(personas, "?q=nothing+like+this")).content.decode()
    assert "No decisions match this search." in none
    wrong = client.get(_log_url(personas, "?date_from=2026-12-01&date_to=2026-01-01"))
    assert "The end date must be the same as or after the start date." in wrong.content.decode()


def test_the_log_of_a_closed_body_is_for_its_members(
    client_for: ClientFor, personas: Personas, log: list[Decision]
) -> None:
    url = reverse("meetings:decision_list", args=[personas.private_group.pk])
    assert client_for("decisionmaker").get(url).status_code == 404
    assert "A closed matter." in client_for("practitioner").get(url).content.decode()
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302


def test_the_log_pages_and_keeps_a_flat_query_budget(
    client_for: ClientFor, personas: Personas, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.POLKU_PAGE_SIZE = 20
    meeting = _held(personas)

    def count() -> int:
        client = client_for("practitioner")
        client.get(_log_url(personas))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_log_url(personas)).status_code == 200
        return len(queries)

    make_decision(item=make_agenda_item(meeting=meeting), text="Decision 0")
    one = count()
    for index in range(1, 25):
        make_decision(item=make_agenda_item(meeting=meeting), text=f"Decision {index}")
    assert count() == one
    client = client_for("practitioner")
    client.get(_log_url(personas))
    with django_assert_max_num_queries(one):
        second = client.get(_log_url(personas, "?page=2")).content.decode()
    assert "25 decisions" in second and "Decision 0" in second
