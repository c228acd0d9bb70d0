"""Estimate pages run the same number of queries with 1 run and with 20."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.actors.tests.factories import make_membership
from polku.statistics.choices import RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.tests.factories import make_run


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def target(personas: Personas) -> EstimateRun:
    return make_run(created_by=personas.secretariat, organisation=personas.justice)


def _add_runs(personas: Personas, n: int) -> None:
    """More runs on the same table, by different people, in every state."""
    states = [RunStatus.FINISHED, RunStatus.RUNNING, RunStatus.FAILED, RunStatus.NOT_ESTIMABLE]
    for index in range(n):
        membership = make_membership(organisation=personas.justice, role="secretariat")
        make_run(
            created_by=membership.user,
            organisation=personas.justice,
            status=states[index % len(states)],
            for_annual_report=False,
        )


CASES: list[tuple[str, str, Callable[[EstimateRun], str]]] = [
    ("list", "coordinator", lambda run: reverse("statistics:estimate_list")),
    ("result", "secretariat", lambda run: run.get_absolute_url()),
    ("compare", "secretariat2", lambda run: reverse("statistics:estimate_compare", args=[run.pk])),
]


@pytest.mark.parametrize(("name", "persona", "url"), CASES, ids=[case[0] for case in CASES])
def test_it_keeps_the_query_count_flat(
    personas: Personas,
    client_for: ClientFor,
    target: EstimateRun,
    name: str,
    persona: str,
    url: Callable[[EstimateRun], str],
) -> None:
    """Adding 19 runs does not add queries."""
    one = _count(client_for, persona, url(target))
    _add_runs(personas, 19)
    twenty = _count(client_for, persona, url(target))
    assert one == twenty, name
