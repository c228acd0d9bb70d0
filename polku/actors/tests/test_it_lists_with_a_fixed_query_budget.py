"""List pages run the same number of queries with 1 row and with 20."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.accounts.choices import Role
from polku.actors.tests.factories import (
    make_body,
    make_body_member,
    make_membership,
    make_organisation,
)


def _count(client_for: ClientFor, url: str) -> int:
    client = client_for("coordinator")
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_organisations(personas: Personas, n: int) -> None:
    for _ in range(n):
        organisation = make_organisation(parent=personas.interior, region="Uusimaa")
        make_membership(organisation=organisation, role=Role.PRACTITIONER)


def _add_people(personas: Personas, n: int) -> None:
    for _ in range(n):
        make_membership(organisation=personas.police, role=Role.PRACTITIONER)
        make_membership(organisation=personas.ngo_org, role=Role.PRACTITIONER)


def _add_bodies(personas: Personas, n: int) -> None:
    for _ in range(n):
        body = make_body(convened_by=personas.interior)
        make_body_member(body=body, organisation=personas.police)


def _add_members(personas: Personas, n: int) -> None:
    for _ in range(n):
        make_body_member(body=personas.secretariat_body, organisation=personas.police)


CASES: list[tuple[str, Callable[[Personas], str], Callable[[Personas, int], None]]] = [
    ("organisations", lambda p: reverse("actors:organisation_list"), _add_organisations),
    ("people", lambda p: reverse("actors:person_list"), _add_people),
    ("bodies", lambda p: reverse("actors:body_list"), _add_bodies),
    (
        "body members",
        lambda p: reverse("actors:body_detail", args=[p.secretariat_body.pk]),
        _add_members,
    ),
    (
        "organisation members",
        lambda p: reverse("actors:organisation_detail", args=[p.police.pk]),
        _add_people,
    ),
]


@pytest.mark.parametrize(("name", "url", "add"), CASES, ids=[case[0] for case in CASES])
def test_it_keeps_the_query_count_flat(
    personas: Personas,
    client_for: ClientFor,
    name: str,
    url: Callable[[Personas], str],
    add: Callable[[Personas, int], None],
) -> None:
    """Adding rows adds no queries: relations are fetched in bulk by the selectors."""
    add(personas, 1)
    with_one = _count(client_for, url(personas))
    add(personas, 19)
    with_twenty = _count(client_for, url(personas))
    assert with_one == with_twenty, name
