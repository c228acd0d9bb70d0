"""The library, a guideline's page and a consultation page run the same number of queries
with 1 row and with 20."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.actors.tests.factories import make_membership, make_organisation
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Consultation, Guideline, Invitation
from polku.guidelines.tests.factories import make_comment, make_consultation, make_guideline
from polku.voice.tests.factories import exploitation_form, make_challenge, sector

S = GuidelineStatus


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def target(personas: Personas) -> Consultation:
    guideline = make_guideline(
        organisation=personas.interior,
        status=S.CONSULTATION,
        categories=(sector("police"), exploitation_form()),
        challenges=(make_challenge(submitted_by=personas.practitioner),),
    )
    return make_consultation(guideline=guideline, organisations=(personas.ngo_org,))


def _add_guidelines(personas: Personas, target: Consultation, n: int) -> None:
    for index in range(n):
        make_guideline(
            organisation=make_organisation(),
            status=S.PUBLISHED,
            audiences=("police", "ngos"),
            categories=(sector("police"), sector("ngos"), exploitation_form()),
            extra_languages={"fi": (f"Ohje {index}", "Teksti.")},
        )


def _add_comments(personas: Personas, target: Consultation, n: int) -> None:
    for index in range(n):
        membership = make_membership(organisation=make_organisation(), role="practitioner")
        Invitation.objects.create(
            consultation=target, user=membership.user, invited_at=target.opened_at
        )
        make_comment(
            consultation=target,
            author=membership.user,
            organisation=membership.organisation,
            paragraph=index % 4 if index % 5 else None,
            proposed_text="Another wording." if index % 2 else "",
        )


def _add_paragraphs_and_comments(personas: Personas, target: Consultation, n: int) -> None:
    text = target.version.texts.get(language="en")
    for index in range(n):
        text.paragraphs.append(
            {"id": f"pextra{text.pk}{len(text.paragraphs)}", "text": f"More {index}."}
        )
    text.save()
    _add_comments(personas, target, n)


def _guideline_url(target: Consultation) -> str:
    return Guideline.objects.get(pk=target.guideline_id).get_absolute_url()


CASES: list[
    tuple[str, str, Callable[[Consultation], str], Callable[[Personas, Consultation, int], None]]
] = [
    ("library", "anonymous", lambda c: reverse("guidelines:library"), _add_guidelines),
    (
        "library, signed in",
        "practitioner",
        lambda c: reverse("guidelines:library"),
        _add_guidelines,
    ),
    ("workspace", "secretariat", lambda c: reverse("guidelines:workspace"), _add_guidelines),
    ("guideline page, drafter", "secretariat", _guideline_url, _add_paragraphs_and_comments),
    ("guideline page, invitee", "ngo", _guideline_url, _add_paragraphs_and_comments),
    ("consultation page, drafter", "coordinator", lambda c: c.get_absolute_url(), _add_comments),
    ("consultation page, invitee", "ngo", lambda c: c.get_absolute_url(), _add_comments),
    (
        "report",
        "secretariat",
        lambda c: reverse("guidelines:consultation_report", args=[c.guideline.slug, c.pk]),
        _add_comments,
    ),
]


@pytest.mark.parametrize(("name", "persona", "url", "add"), CASES, ids=[case[0] for case in CASES])
def test_it_keeps_the_query_count_flat(
    personas: Personas,
    client_for: ClientFor,
    target: Consultation,
    name: str,
    persona: str,
    url: Callable[[Consultation], str],
    add: Callable[[Personas, Consultation, int], None],
) -> None:
    """Adding rows adds no queries: relations are fetched in bulk by the selectors."""
    add(personas, target, 1)
    with_one = _count(client_for, persona, url(target))
    add(personas, target, 19)
    with_twenty = _count(client_for, persona, url(target))
    assert with_one == with_twenty, name
