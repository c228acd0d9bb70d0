"""Server time and queries per page with 2,000 organisations and 20,000 people.

Run with `make bench`. Builds its own SQLite database in a temporary folder (or uses
DATABASE_URL), fills it, then requests each page repeatedly through Django's test client,
so the figures are server time without network or browser.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "2000"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "20000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="polku-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("POLKU_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import BodyKind, BodyRole, OrganisationKind
from polku.actors.models import Body, BodyMember, Membership, Organisation


def populate() -> tuple[User, Organisation, Body, User]:
    kinds = list(OrganisationKind.values)
    regions = ["Uusimaa", "Pirkanmaa", "Lapland", "North Ostrobothnia", "Kainuu", ""]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {index:05d}",
            name_fi=f"Organisaatio {index:05d}",
            name_sv=f"Organisation {index:05d} (sv)",
            kind=kinds[index % len(kinds)],
            region=regions[index % len(regions)],
        )
        for index in range(ORGANISATIONS)
    )
    users = User.objects.bulk_create(
        User(
            username=f"person{index:05d}",
            first_name=f"First{index}",
            last_name=f"Last{index:05d}",
            email=f"person{index}@example.org",
            password="!",
        )
        for index in range(PEOPLE)
    )
    roles = list(Role.values)
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organisation=organisations[index % len(organisations)],
            role=roles[index % len(roles)] if index % 10 == 0 else Role.PRACTITIONER,
        )
        for index, user in enumerate(users)
    )
    coordinator = User.objects.create_user("bench-coordinator", password="unused-password-1")
    Membership.objects.create(
        user=coordinator, organisation=organisations[0], role=Role.COORDINATOR
    )
    body = Body.objects.create(
        name="Bench secretariat", kind=BodyKind.SECRETARIAT, convened_by=organisations[0]
    )
    BodyMember.objects.bulk_create(
        BodyMember(
            body=body,
            user=users[index],
            organisation=organisations[index],
            role=BodyRole.MEMBER,
        )
        for index in range(40)
    )
    for index in range(60):
        Body.objects.create(
            name=f"Working group {index}",
            kind=BodyKind.WORKING_GROUP,
            convened_by=organisations[index],
        )
    return coordinator, organisations[7], body, users[11]


def measure(client: Client, path: str) -> tuple[float, float, int, int]:
    timings = []
    queries = 0
    status = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        status = response.status_code
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return p50, p95, queries, status


def main() -> None:
    # No setup_test_environment(): its template instrumentation copies every context and
    # would be counted as server time. The test client only needs the host allowed.
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"Database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    coordinator, organisation, body, person = populate()
    print(
        f"Filled {ORGANISATIONS} organisations and {PEOPLE} people "
        f"in {time.perf_counter() - started:.1f} s; {REPEAT} requests per page."
    )
    client = Client()
    client.force_login(coordinator)
    pages = [
        ("home", "/"),
        ("organisation list", "/actors/organisations/"),
        ("organisation list, page 40", "/actors/organisations/?page=40"),
        ("organisation search", "/actors/organisations/?q=0042&kind=ngo"),
        ("organisation detail", f"/actors/organisations/{organisation.pk}/"),
        ("people list", "/actors/people/"),
        ("people list, page 400", "/actors/people/?page=400"),
        ("people search", "/actors/people/?q=Last0001"),
        ("person detail", f"/actors/people/{person.pk}/"),
        ("body list", "/actors/bodies/"),
        ("body detail (40 members)", f"/actors/bodies/{body.pk}/"),
        ("API organisations (session)", "/api/v1/organisations?limit=50"),
        ("health check", "/healthz"),
    ]
    print(f"{'page':<32} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, path in pages:
        p50, p95, queries, status = measure(client, path)
        print(f"{name:<32} {status:>6} {p50:>8.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
