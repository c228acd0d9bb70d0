"""Writers in parallel threads, each with its own connection, extend one unbroken chain."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from polku.audit.models import AuditEvent
from polku.audit.selectors import chain_verify
from polku.audit.services import GENESIS_HASH, audit_write

THREADS = 6
EVENTS_PER_THREAD = 8


def _write_events(number: int, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait(timeout=30)
        for index in range(EVENTS_PER_THREAD):
            with transaction.atomic():
                audit_write(actor=None, action="test.event.concurrent", detail={"n": index})
                # Holding the transaction open a little makes writers overlap.
                time.sleep(0.002 * (number % 3))
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


# The in-memory SQLite test database locks per table; the file-database test covers SQLite.
@pytest.mark.only_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_starting_on_an_empty_log_keep_one_chain() -> None:
    """Writers racing for the very first event and every one after it leave one intact
    chain: every event written, none sealing the same predecessor as another."""
    assert AuditEvent.objects.count() == 0
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_write_events, args=(number, start, errors))
        for number in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert AuditEvent.objects.count() == THREADS * EVENTS_PER_THREAD
    assert AuditEvent.objects.filter(previous_hash=GENESIS_HASH).count() == 1
    result = chain_verify()
    assert result.ok, result.message()
    assert result.verified == THREADS * EVENTS_PER_THREAD


def test_parallel_writers_on_a_sqlite_file_keep_one_chain(tmp_path: Path) -> None:
    """On a SQLite file configured as in production (WAL, BEGIN IMMEDIATE, busy timeout),
    parallel writers all succeed and `audit_verify` finds one intact chain."""
    env = {
        **os.environ,
        "POLKU_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'polku.sqlite3'}",
    }
    base = Path(settings.BASE_DIR)
    write = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "polku.audit.tests.write_concurrently",
            str(THREADS),
            str(EVENTS_PER_THREAD),
        ],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert write.returncode == 0, write.stderr
    verify = subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert f"Verified {THREADS * EVENTS_PER_THREAD} audit events" in verify.stdout
