"""`manage.py audit_verify` exits 0 on an intact chain and 1 naming the first broken event."""

from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from polku.audit.models import AuditEvent
from polku.audit.services import audit_write
from polku.audit.tests.helpers import tamper_delete, tamper_swap, tamper_update


def _chain(length: int) -> list[AuditEvent]:
    return [
        audit_write(actor=None, action=f"test.event.n{index}", after={"n": index})
        for index in range(length)
    ]


def test_it_counts_the_events_of_an_intact_chain(db: None) -> None:
    """An intact chain prints how many events were verified and an anchor for next time."""
    events = _chain(3)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    output = out.getvalue()
    assert "Verified 3 audit events: the chain is intact." in output
    assert f"--anchor {events[-1].pk}:{events[-1].hash}" in output


def test_it_reports_an_empty_log(db: None) -> None:
    """An empty log is intact and the command says there is nothing to verify."""
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "empty" in out.getvalue()


def test_it_exits_0_when_intact_and_1_when_broken(
    db: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as from a shell, the exit status tells a scheduler whether the log is intact."""
    # A command run from the shell closes its connections at the end; here that connection
    # holds the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    events = _chain(3)
    execute_from_command_line(["manage.py", "audit_verify"])
    tamper_update(events[1].pk, after={"n": 99})
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "audit_verify"])
    assert exit_info.value.code == 1
    assert f"broken at event #{events[1].pk}" in capsys.readouterr().err


def test_it_names_an_edited_event(db: None) -> None:
    """An edited event is named with what is wrong: its content does not match its hash."""
    events = _chain(4)
    tamper_update(events[2].pk, actor_label="someone-else")
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    message = str(error.value)
    assert f"broken at event #{events[2].pk}" in message
    assert "content does not match its hash" in message
    assert "2 events before it were verified" in message


def test_it_names_the_event_after_a_deleted_one(db: None) -> None:
    """A deleted event is found at the next one, whose link no longer matches."""
    events = _chain(4)
    tamper_delete(events[1].pk)
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    message = str(error.value)
    assert f"broken at event #{events[2].pk}" in message
    assert "an event was deleted, events were reordered" in message


def test_it_names_the_first_of_two_reordered_events(db: None) -> None:
    """Two swapped events are found at the earlier position."""
    events = _chain(5)
    tamper_swap(events[1].pk, events[3].pk, with_seals=True)
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert f"broken at event #{events[1].pk}" in str(error.value)


def test_it_checks_anchors(db: None) -> None:
    """An anchor whose event was deleted from the end of the log fails verification."""
    events = _chain(3)
    call_command(
        "audit_verify", "--anchor", f"{events[-1].pk}:{events[-1].hash}", stdout=StringIO()
    )
    tamper_delete(events[-1].pk)
    call_command("audit_verify", stdout=StringIO())
    with pytest.raises(CommandError) as error:
        call_command("audit_verify", "--anchor", f"{events[-1].pk}:{events[-1].hash}")
    assert f"broken at event #{events[-1].pk}" in str(error.value)
    assert "no longer exists" in str(error.value)


@pytest.mark.parametrize("anchor", ["12", "x:abc", "12:" + "a" * 63])
def test_it_refuses_a_malformed_anchor(db: None, anchor: str) -> None:
    """An anchor must be an event id and a 64-character hash."""
    with pytest.raises(CommandError, match="invalid anchor value"):
        call_command("audit_verify", "--anchor", anchor)


def test_it_refuses_a_chunk_size_below_one(db: None) -> None:
    """Reading zero events at a time is refused."""
    with pytest.raises(CommandError, match="chunk-size"):
        call_command("audit_verify", "--chunk-size", "0")


def test_it_streams_in_chunks(db: None) -> None:
    """Chunks smaller than the log verify the same chain, across every boundary."""
    _chain(7)
    out = StringIO()
    call_command("audit_verify", "--chunk-size", "2", stdout=out)
    assert "Verified 7 audit events" in out.getvalue()
