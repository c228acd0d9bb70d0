"""Voice pages run the same number of queries with 1 row and with 20."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.actors.tests.factories import make_membership, make_organisation
from polku.voice.models import Challenge
from polku.voice.tests.factories import (
    exploitation_form,
    make_challenge,
    make_comment,
    make_endorsement,
    region,
    sector,
)


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def target(personas: Personas) -> Challenge:
    return make_challenge(submitted_by=personas.practitioner, region=region())


def _add_challenges(personas: Personas, target: Challenge, n: int) -> None:
    for index in range(n):
        make_challenge(
            submitted_by=personas.practitioner if index % 2 else personas.ngo,
            is_protected=index % 3 == 0,
            region=region("lapland"),
            categories=[sector("police"), sector("ngos"), exploitation_form()],
        )


def _add_participation(personas: Personas, target: Challenge, n: int) -> None:
    for _index in range(n):
        membership = make_membership(organisation=make_organisation(), role="practitioner")
        make_endorsement(
            challenge=target,
            user=membership.user,
            organisation=membership.organisation,
            sector=sector("social_services"),
            comment="We meet this too.",
        )
        make_comment(challenge=target, author=membership.user)


CASES: list[
    tuple[str, str, Callable[[Challenge], str], Callable[[Personas, Challenge, int], None]]
] = [
    ("list", "practitioner", lambda c: reverse("voice:challenge_list"), _add_challenges),
    ("list for triage", "coordinator", lambda c: reverse("voice:challenge_list"), _add_challenges),
    ("mine", "practitioner", lambda c: reverse("voice:challenge_mine"), _add_challenges),
    ("challenge page", "ngo", lambda c: c.get_absolute_url(), _add_participation),
    (
        "challenge page for triage",
        "coordinator",
        lambda c: c.get_absolute_url(),
        _add_participation,
    ),
]


@pytest.mark.parametrize(("name", "persona", "url", "add"), CASES, ids=[case[0] for case in CASES])
def test_it_keeps_the_query_count_flat(
    personas: Personas,
    client_for: ClientFor,
    target: Challenge,
    name: str,
    persona: str,
    url: Callable[[Challenge], str],
    add: Callable[[Personas, Challenge, int], None],
) -> None:
    """Adding rows adds no queries: relations are fetched in bulk by the selectors."""
    add(personas, target, 1)
    with_one = _count(client_for, persona, url(target))
    add(personas, target, 19)
    with_twenty = _count(client_for, persona, url(target))
    assert with_one == with_twenty, name
