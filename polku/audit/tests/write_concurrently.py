"""Writes audit events from several threads at once into the database DATABASE_URL names.

Run as `python -m polku.audit.tests.write_concurrently THREADS EVENTS` on a fresh database:
it migrates, writes, and exits 0 only if every write succeeded. The SQLite concurrency test
runs it against a file database, configured exactly as Polku runs in production, because
the in-memory database the test suite uses locks differently.
"""

import os
import sys
import threading
import time


def main(threads: int, events: int) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from polku.audit.services import audit_write

    call_command("migrate", verbosity=0)
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            start.wait(timeout=30)
            for index in range(events):
                with transaction.atomic():
                    audit_write(actor=None, action="test.event.concurrent", detail={"n": index})
                    time.sleep(0.002 * (number % 3))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    for error in errors:
        print(repr(error), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
