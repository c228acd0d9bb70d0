"""A protected challenge cannot be traced to the person who raised it, even with the whole
database and the SECRET_KEY; only its follow-up code opens it, and guessing is rate-limited."""

import pickle
import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.tasks.signals import task_enqueued
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.audit.selectors import chain_verify
from polku.audit.services import snapshot
from polku.voice import followup, services
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, PendingAuditEntry
from polku.voice.selectors import (
    BREAKDOWN_THRESHOLD,
    protected_breakdown,
    revealed_profile,
)
from polku.voice.services import FollowUpLocked
from polku.voice.tests.factories import challenge_input, make_challenge, region

CODE_ON_PAGE = re.compile(r'id="followup-code">([0-9A-Z-]+)<')


def _form(**overrides: str | list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Berry pickers' recruitment debts are never paid off",
        "description": (
            "Pickers arrive owing thousands of euros to recruiters and the debt grows every "
            "week with fees for housing and transport."
        ),
        "sectors": ["labour_inspection", "police"],
        "exploitation_forms": ["forced_labour"],
        "affected_groups": ["migrant_workers"],
        "region": "lapland",
        "urgency": "high",
        "language": "en",
        "protected": "on",
        "reveal_organisation_kind": "authority",
        "reveal_region": "lapland",
        "action": "submit",
    }
    data.update(overrides)
    return data


def _submit_protected(client: Client, **overrides: str | list[str]) -> tuple[Challenge, str]:
    response = client.post(reverse("voice:challenge_create"), _form(**overrides))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    match = CODE_ON_PAGE.search(response.content.decode())
    assert match is not None
    code = match.group(1)
    reference = re.search(r"<strong>(CH-\d{4}-[0-9A-Z]+)</strong>", response.content.decode())
    assert reference is not None
    return Challenge.objects.get(reference=reference.group(1)), code


def _rows() -> Iterator[tuple[str, list[str], tuple[Any, ...]]]:
    """Every row of every table in the database, as someone with full access reads it."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                yield table, columns, row


def _text(value: Any) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _mentions(row: tuple[Any, ...], needles: set[str]) -> bool:
    text = " ".join(_text(value) for value in row)
    return any(needle in text for needle in needles)


@pytest.fixture
def submitted(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> tuple[Challenge, str, Client, dict[str, int]]:
    """The practitioner works under their name, raises a protected challenge, and goes on."""
    enqueued: dict[str, int] = {"during": 0}
    client = client_for("practitioner")
    client.get(reverse("voice:challenge_list"))
    client.get(reverse("actors:person_detail", args=[personas.ngo.pk]))
    own = services.challenge_submit(actor=personas.practitioner, data=challenge_input())
    services.challenge_save_draft(
        actor=personas.practitioner, data=challenge_input(title="A draft about something else")
    )
    client.get(reverse("voice:challenge_create"))

    def count(**kwargs: Any) -> None:
        enqueued["during"] += 1

    task_enqueued.connect(count, weak=False)
    mail.outbox.clear()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            challenge, code = _submit_protected(client)
    finally:
        task_enqueued.disconnect(count)
    enqueued["callbacks"] = len(callbacks)
    enqueued["mails"] = len(mail.outbox)
    client.get(reverse("voice:challenge_mine"))
    client.post(
        reverse("voice:challenge_endorse", args=[make_challenge(submitted_by=personas.ngo).pk]),
        {"comment": ""},
    )
    assert own.submitted_by == personas.practitioner
    return challenge, code, client, enqueued


def test_it_stores_nothing_of_the_submitter_on_the_challenge(
    personas: Personas, submitted: tuple[Challenge, str, Client, dict[str, int]]
) -> None:
    """The row names no person or organisation, and keeps only what the submitter revealed."""
    challenge, code, _client, enqueued = submitted
    challenge.refresh_from_db()
    assert challenge.is_protected
    assert challenge.status == ChallengeStatus.RECEIVED
    assert challenge.submitted_by_id is None and challenge.organisation_id is None
    assert challenge.owner_id is None and challenge.updated_at is None
    assert challenge.revealed_organisation_kind == "authority"
    assert challenge.revealed_region == region("lapland")
    assert challenge.submitted_on == timezone.localdate()
    assert challenge.acknowledge_due_on is not None and challenge.answer_due_on is not None
    canonical = followup.normalise(code)
    assert canonical is not None and challenge.followup_secret_hash
    assert canonical not in challenge.followup_secret_hash
    assert snapshot(challenge)["followup_key_prefix"] == "[redacted]"
    assert snapshot(challenge)["followup_secret_hash"] == "[redacted]"
    # No notification went out: a task or an e-mail would carry the exact time.
    assert enqueued == {"during": 0, "callbacks": 0, "mails": 0}


def test_no_table_links_the_challenge_to_its_submitter(
    personas: Personas,
    submitted: tuple[Challenge, str, Client, dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With full database access, no row ties the challenge to the submitter in any way."""
    challenge, code, client, _enqueued = submitted
    # The day's anonymous audit records are sealed the next night, as the daily job does.
    tomorrow_night = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(3, 0))
    )
    monkeypatch.setattr(timezone, "now", lambda: tomorrow_night)
    sealed = services.protected_audit_seal(today=timezone.localdate() + timedelta(days=1))
    monkeypatch.undo()
    assert sealed >= 1
    assert not PendingAuditEntry.objects.exists()

    user = personas.practitioner
    session_keys = set(Session.objects.values_list("session_key", flat=True))
    submitter_requests = AuditEvent.objects.filter(actor=user).exclude(request_id="")
    assert submitter_requests.exists()
    who = {
        user.username,
        user.email,
        user.get_full_name(),
        user.first_name,
        user.last_name,
        *session_keys,
        *submitter_requests.values_list("request_id", flat=True),
    }
    what = {
        challenge.pk.hex,
        str(challenge.pk),
        str(challenge.reference),
        code,
        str(followup.normalise(code)),
        str(challenge.followup_key_prefix),
    }
    user_columns = {"submitted_by_id", "organisation_id", "actor_id", "author_id", "user_id"}
    rows_about_it = 0
    for table, columns, row in _rows():
        if not _mentions(row, what):
            continue
        rows_about_it += 1
        assert not _mentions(row, who), (table, row)
        for column, value in zip(columns, row, strict=True):
            if column in user_columns | {"created_by_id", "updated_by_id", "recorded_by_id"}:
                assert value in (None, ""), (table, column, row)
            if column in ("ip_address", "user_agent", "request_id"):
                assert value in (None, ""), (table, column, row)
    assert rows_about_it >= 3  # the challenge, its categories, its timeline, its audit record

    # Sessions, decoded with the secret key, never name the challenge or its code.
    for session in Session.objects.all():
        decoded = repr(session.get_decoded())
        assert not any(needle in decoded for needle in what), decoded
    # Neither does the cache.
    for backend in caches.all():
        if isinstance(backend, LocMemCache):
            stored: dict[str, bytes] = getattr(backend, "_cache")  # noqa: B009
            for key, value in stored.items():
                text = key + repr(pickle.loads(value))  # noqa: S301 - the test's own cache
                assert not any(needle in text for needle in what), text
    # Nor the cookies the submitter's browser holds.
    assert not any(needle in str(client.cookies) for needle in what)


def test_the_audit_log_does_not_place_the_submission_in_time(
    personas: Personas,
    submitted: tuple[Challenge, str, Client, dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No audit event is written at submission; the sealed one names no one and no request,
    and sits far in time from anything the submitter did."""
    challenge, _code, _client, _enqueued = submitted
    mentioning = AuditEvent.objects.filter(target_id=str(challenge.pk))
    assert not mentioning.exists()
    tomorrow_night = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(3, 0))
    )
    monkeypatch.setattr(timezone, "now", lambda: tomorrow_night)
    services.protected_audit_seal(today=timezone.localdate() + timedelta(days=1))
    monkeypatch.undo()
    sealed = list(mentioning)
    assert [event.action for event in sealed] == ["voice.challenge.submit_protected"]
    event = sealed[0]
    assert (event.actor_id, event.actor_label) == (None, "")
    assert (event.ip_address, event.user_agent, event.request_id) == (None, "", "")
    assert challenge.submitted_on is not None
    assert event.detail["day"] == challenge.submitted_on.isoformat()
    for own in AuditEvent.objects.filter(actor=personas.practitioner):
        assert abs(own.occurred_at - event.occurred_at) > timedelta(hours=1)
    neighbours = AuditEvent.objects.filter(pk__in=[event.pk - 1, event.pk + 1])
    assert all(
        neighbour.actor_id is None or neighbour.occurred_at.date() != event.occurred_at.date()
        for neighbour in neighbours
    )
    assert chain_verify(chunk_size=100, anchors={}).ok


def test_the_timeline_keeps_the_day_only(
    submitted: tuple[Challenge, str, Client, dict[str, int]],
) -> None:
    """The submission's timeline entry and the challenge itself hold no time finer than a day."""
    challenge, _code, _client, _enqueued = submitted
    entry = challenge.events.get(kind="submitted")
    assert entry.coarse_time and entry.actor_id is None and entry.actor_label == ""
    assert timezone.localtime(entry.created_at).time() == time(0, 0)
    assert challenge.acknowledged_at is None and challenge.closed_at is None


def test_it_does_not_order_protected_challenges_by_submission(personas: Personas) -> None:
    """Ids, references and list order of one day's challenges say nothing of their order."""
    made = [
        services.challenge_submit_protected(
            actor=personas.practitioner, data=challenge_input(title=f"Challenge number {index}")
        )[0]
        for index in range(10)
    ]
    listed = list(
        Challenge.objects.filter(pk__in=[item.pk for item in made]).order_by(
            "-submitted_on", "sort_key"
        )
    )
    assert [item.pk for item in listed] != [item.pk for item in made]
    assert (
        sorted(made, key=lambda item: item.pk) != made
        or sorted(made, key=lambda item: str(item.reference)) != made
    )
    assert all(item.pk.version == 4 for item in made)


def test_the_submitter_does_not_see_it_as_theirs(
    personas: Personas, client_for: ClientFor, submitted: tuple[Challenge, str, Client, Any]
) -> None:
    """The submitter's own pages do not list it; the challenge page names no one."""
    challenge, _code, client, _enqueued = submitted
    mine = client.get(reverse("voice:challenge_mine")).content.decode()
    assert str(challenge.reference) not in mine
    for name in ("practitioner", "coordinator", "ngo"):
        page = client_for(name).get(challenge.get_absolute_url()).content.decode()
        page = page.split('id="main-content"', 1)[1]
        assert "Protected: the submitter is not known." in page
        assert personas.practitioner.get_full_name() not in page
        assert "National Police Board" not in page.split("Raised by", 1)[1].split("</dl>")[0]


def test_only_the_code_opens_it(
    personas: Personas, submitted: tuple[Challenge, str, Client, Any]
) -> None:
    """The code opens the challenge however it is typed; any other code opens nothing."""
    challenge, code, _client, _enqueued = submitted
    assert services.followup_open(code=code) == challenge
    assert services.followup_open(code=code.lower().replace("-", " ")) == challenge
    assert services.followup_open(code=code.replace("0", "O").replace("1", "I")) == challenge
    canonical = followup.normalise(code)
    assert canonical is not None
    last = canonical[-1]
    wrong_secret = canonical[:-1] + ("0" if last != "0" else "1")
    assert services.followup_open(code=wrong_secret, client_address="10.0.0.1") is None
    other, other_code = services.challenge_submit_protected(
        actor=personas.ngo, data=challenge_input()
    )
    assert services.followup_open(code=other_code) == other != challenge
    assert services.followup_open(code="not a code", client_address="10.0.0.2") is None
    assert services.followup_open(code="", client_address="10.0.0.2") is None


def test_the_code_does_not_depend_on_the_secret_key(
    settings: Any, submitted: tuple[Challenge, str, Client, Any]
) -> None:
    """The hash is salted by the hasher, not keyed with SECRET_KEY: the key opens nothing,
    and a new key does not lock the submitter out."""
    challenge, code, _client, _enqueued = submitted
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert services.followup_open(code=code) == challenge


def test_wrong_codes_are_rate_limited(
    personas: Personas, submitted: tuple[Challenge, str, Client, Any]
) -> None:
    """After five wrong codes from an address, even the right one is refused there for a while;
    other addresses are not affected."""
    challenge, code, _client, _enqueued = submitted
    cache.clear()
    for attempt in range(followup.FAILURE_LIMIT):
        guess = followup.new_code()
        assert services.followup_open(code=guess, client_address="192.0.2.7") is None, attempt
    with pytest.raises(FollowUpLocked):
        services.followup_open(code=code, client_address="192.0.2.7")
    assert services.followup_open(code=code, client_address="192.0.2.8") == challenge
    cache.clear()
    assert services.followup_open(code=code, client_address="192.0.2.7") == challenge


def test_the_follow_up_page_is_rate_limited_too(
    submitted: tuple[Challenge, str, Client, Any],
) -> None:
    """The page answers 429 once an address has tried too many wrong codes."""
    _challenge, code, _client, _enqueued = submitted
    cache.clear()
    anonymous = Client(REMOTE_ADDR="198.51.100.4")
    for _attempt in range(followup.FAILURE_LIMIT):
        response = anonymous.post(reverse("voice:followup"), {"code": followup.new_code()})
        assert response.status_code == 200
        assert "does not open a challenge" in response.content.decode()
    response = anonymous.post(reverse("voice:followup"), {"code": code})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    cache.clear()


def test_the_follow_up_page_shows_the_answer_and_takes_a_reply(
    personas: Personas, submitted: tuple[Challenge, str, Client, Any]
) -> None:
    """With the code, the signed-out submitter reads the answer and replies without a name;
    the code never appears in a URL."""
    challenge, code, _client, _enqueued = submitted
    services.challenge_answer(
        actor=personas.coordinator, challenge=challenge, text="The inspectors will be told."
    )
    anonymous = Client()
    page = anonymous.get(reverse("voice:followup"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    opened = anonymous.post(reverse("voice:followup"), {"code": code})
    assert opened.status_code == 200
    assert "The inspectors will be told." in opened.content.decode()
    assert code not in opened.request["PATH_INFO"]
    replied = anonymous.post(
        reverse("voice:followup"),
        {"code": code, "action": "reply", "body": "Thank you, the debts are still growing."},
    )
    assert replied.status_code == 200
    assert "Your reply was added without your name." in replied.content.decode()
    reply = challenge.comments.get()
    assert reply.by_submitter and reply.author_id is None and reply.coarse_time
    refused = anonymous.post(
        reverse("voice:followup"),
        {"code": code, "action": "reply", "body": "Call me on 040 123 4567."},
    )
    assert refused.status_code == 200
    assert "Remove the phone number" in refused.content.decode()
    assert challenge.comments.count() == 1


def test_the_follow_up_page_asks_signed_in_people_to_sign_out(
    client_for: ClientFor, submitted: tuple[Challenge, str, Client, Any]
) -> None:
    """A signed-in person is not shown a protected challenge by its code."""
    _challenge, code, client, _enqueued = submitted
    response = client.post(reverse("voice:followup"), {"code": code})
    assert response.status_code == 200
    assert "Sign out to use your follow-up code" in response.content.decode()
    assert "Berry pickers" not in response.content.decode()


def test_it_refuses_a_protected_draft_and_a_false_organisation_kind(
    personas: Personas, client_for: ClientFor
) -> None:
    """A protected challenge cannot be saved as a draft, and the revealed kind must be true."""
    client = client_for("practitioner")
    before = Challenge.objects.count()
    response = client.post(reverse("voice:challenge_create"), _form(action="draft"))
    assert response.status_code == 200
    assert "cannot be saved as a draft" in response.content.decode()
    with pytest.raises(Exception, match="kind of your own organisation"):
        services.challenge_submit_protected(
            actor=personas.practitioner,
            data=challenge_input(),
            reveal_organisation_kind="ngo",
        )
    assert Challenge.objects.count() == before


@pytest.mark.parametrize("count", [BREAKDOWN_THRESHOLD - 1, BREAKDOWN_THRESHOLD])
def test_breakdowns_name_only_values_shared_by_five(personas: Personas, count: int) -> None:
    """A revealed value is named in a breakdown only when five protected challenges share it."""
    for _index in range(count):
        make_challenge(is_protected=True, revealed_organisation_kind="ngo", region=region())
    make_challenge(is_protected=True, revealed_organisation_kind="authority")
    rows = protected_breakdown(user=personas.coordinator, by="organisation_kind")
    named = {row.label: row.count for row in rows if row.label}
    folded = sum(row.count for row in rows if not row.label)
    if count >= BREAKDOWN_THRESHOLD:
        assert named == {"Non-governmental organisation": count} and folded == 1
    else:
        assert named == {} and folded == count + 1
    assert protected_breakdown(user=personas.outsider, by="region") == []


def test_the_page_shows_revealed_values_to_others_only_in_a_crowd(personas: Personas) -> None:
    """The secretariat sees what the submitter revealed; others only values five share."""
    lapland = region("lapland")
    lonely = make_challenge(
        is_protected=True, revealed_organisation_kind="ngo", revealed_region=lapland
    )
    for persona in ("coordinator", "secretariat"):
        shown = revealed_profile(user=getattr(personas, persona), challenge=lonely)
        assert (shown.organisation_kind, shown.region) == (
            "Non-governmental organisation",
            "Lapland",
        )
    hidden = revealed_profile(user=personas.ngo, challenge=lonely)
    assert (hidden.organisation_kind, hidden.region) == ("", "")
    for _index in range(BREAKDOWN_THRESHOLD):
        make_challenge(is_protected=True, revealed_organisation_kind="ngo")
    kind_only = revealed_profile(user=personas.ngo, challenge=lonely)
    assert (kind_only.organisation_kind, kind_only.region) == ("Non-governmental organisation", "")


def test_it_seals_only_earlier_days_in_a_shuffled_batch(personas: Personas) -> None:
    """Records of the current day wait for the next batch; older ones are sealed and removed."""
    services.challenge_submit_protected(actor=personas.practitioner, data=challenge_input())
    assert services.protected_audit_seal() == 0
    assert PendingAuditEntry.objects.count() == 1
    assert services.protected_audit_seal(today=timezone.localdate() + timedelta(days=1)) == 1
    assert not PendingAuditEntry.objects.exists()
    assert AuditEvent.objects.filter(action="voice.challenge.submit_protected").count() == 1


def test_the_daily_command_seals_earlier_days(personas: Personas) -> None:
    """`manage.py voice_seal_audit` seals what earlier days left and reports how many."""
    from io import StringIO

    from django.core.management import call_command

    PendingAuditEntry.objects.create(
        day=timezone.localdate() - timedelta(days=1),
        action="voice.followup.open",
        target_type="voice.challenge",
        target_id="00000000-0000-4000-8000-000000000000",
    )
    out = StringIO()
    call_command("voice_seal_audit", stdout=out)
    assert out.getvalue().strip() == "Sealed 1 anonymous audit records."
    event = AuditEvent.objects.get(action="voice.followup.open")
    assert event.actor_id is None and event.target_id == ""
    assert event.detail["target_id"] == "00000000-0000-4000-8000-000000000000"
