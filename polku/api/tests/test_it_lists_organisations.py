"""GET /api/v1/organisations and /api/v1/organisations/{id}: fields, filters, paging, queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import ClientFor, Personas
from polku.actors.choices import OrganisationKind
from polku.actors.models import Organisation
from polku.actors.tests.factories import OrganisationFactory
from polku.api.tests.factories import bearer, make_token

URL = "/api/v1/organisations"
FIELDS = {
    "id",
    "name",
    "name_fi",
    "name_sv",
    "short_name",
    "kind",
    "parent_id",
    "region",
    "website",
}


@pytest.fixture
def headers(personas: Personas) -> dict[str, str]:
    _, plaintext = make_token(organisation=personas.police)
    return bearer(plaintext)


def test_it_returns_the_public_fields_of_each_organisation(
    personas: Personas, headers: dict[str, str]
) -> None:
    """Each item has exactly the documented fields, with the parent as an id."""
    unit = OrganisationFactory.create(
        name="Anti-Trafficking Unit",
        name_fi="Ihmiskaupan vastainen yksikkö",
        name_sv="Enheten mot människohandel",
        short_name="ATU",
        kind=OrganisationKind.AUTHORITY,
        parent=personas.police,
        region="Uusimaa",
        website="https://example.org/atu",
        email="atu@example.org",
        description="Internal notes",
    )
    response = Client().get(URL, {"q": "Anti-Trafficking"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "count": 1,
        "limit": 25,
        "offset": 0,
        "items": [
            {
                "id": unit.pk,
                "name": "Anti-Trafficking Unit",
                "name_fi": "Ihmiskaupan vastainen yksikkö",
                "name_sv": "Enheten mot människohandel",
                "short_name": "ATU",
                "kind": "authority",
                "parent_id": personas.police.pk,
                "region": "Uusimaa",
                "website": "https://example.org/atu",
            }
        ],
    }


def test_it_lists_active_organisations_by_name(personas: Personas, headers: dict[str, str]) -> None:
    """Retired organisations are left out; the rest come in name order."""
    personas.ngo_org.is_active = False
    personas.ngo_org.save()
    body = Client().get(URL, headers=headers).json()
    names = [item["name"] for item in body["items"]]
    assert "Victim Support NGO" not in names
    assert names == sorted(names)
    assert body["count"] == Organisation.objects.filter(is_active=True).count() == 7
    assert set(body["items"][0]) == FIELDS


def test_it_pages_with_limit_and_offset(personas: Personas, headers: dict[str, str]) -> None:
    """limit and offset walk through the list without gaps or repeats; count stays the total."""
    everything = Client().get(URL, {"limit": 100}, headers=headers).json()
    seen: list[int] = []
    for offset in range(0, 8, 3):
        page = Client().get(URL, {"limit": 3, "offset": offset}, headers=headers).json()
        assert page["count"] == 8
        assert page["limit"] == 3
        assert page["offset"] == offset
        seen.extend(item["id"] for item in page["items"])
    assert seen == [item["id"] for item in everything["items"]]
    beyond = Client().get(URL, {"offset": 50}, headers=headers).json()
    assert beyond["items"] == []
    assert beyond["count"] == 8


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"kind": "spaceship"}, "kind"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_it_refuses_out_of_range_paging_and_filters(
    personas: Personas, headers: dict[str, str], params: dict[str, str | int], field: str
) -> None:
    """The page size has a maximum of 100; bad values are named in the error."""
    response = Client().get(URL, params, headers=headers)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(error["location"], error["field"]) for error in errors] == [("query", field)]


def test_it_filters_by_kind(personas: Personas, headers: dict[str, str]) -> None:
    """kind keeps only organisations of that kind."""
    body = Client().get(URL, {"kind": "ministry"}, headers=headers).json()
    assert {item["name"] for item in body["items"]} == {
        "Ministry of the Interior",
        "Ministry of Justice",
        "Ministry of Social Affairs and Health",
    }


@pytest.mark.parametrize("search", ["poliisi", "POLISSTYRELSEN", "npb", "police board"])
def test_it_searches_every_name(personas: Personas, headers: dict[str, str], search: str) -> None:
    """q matches the English, Finnish and Swedish names and the abbreviation, in any case."""
    personas.police.name_fi = "Poliisihallitus"
    personas.police.name_sv = "Polisstyrelsen"
    personas.police.short_name = "NPB"
    personas.police.save()
    body = Client().get(URL, {"q": search}, headers=headers).json()
    assert [item["id"] for item in body["items"]] == [personas.police.pk]


def test_it_returns_one_organisation(personas: Personas, headers: dict[str, str]) -> None:
    """The detail has the same fields as a list item."""
    response = Client().get(f"{URL}/{personas.justice.pk}", headers=headers)
    assert response.status_code == 200
    assert response.json()["name"] == "Ministry of Justice"
    assert set(response.json()) == FIELDS


def test_an_unknown_or_retired_organisation_is_a_json_404(
    personas: Personas, headers: dict[str, str]
) -> None:
    """Missing and retired organisations both answer 404 with the JSON error format."""
    personas.ngo_org.is_active = False
    personas.ngo_org.save()
    for pk in (999999, personas.ngo_org.pk):
        response = Client().get(f"{URL}/{pk}", headers=headers)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"code": "not_found", "message": "Not found."}


def test_a_session_reads_the_same_directory(personas: Personas, client_for: ClientFor) -> None:
    """A signed-in person gets the same list as a token would."""
    _, plaintext = make_token(organisation=personas.police)
    by_token = Client().get(URL, headers=bearer(plaintext)).json()
    by_session = client_for("practitioner").get(URL).json()
    assert by_session == by_token
    detail = client_for("coordinator").get(f"{URL}/{personas.police.pk}")
    assert detail.json()["id"] == personas.police.pk


def _count_queries(client: Client, headers: dict[str, str]) -> int:
    client.get(URL, headers=headers)  # Warm the session and the token's last use.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"limit": 100}, headers=headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("caller", ["token", "session"])
def test_it_keeps_the_query_count_flat(
    personas: Personas, client_for: ClientFor, caller: str
) -> None:
    """With 1 and with 20 more organisations (with parents) the list runs the same queries."""
    if caller == "token":
        _, plaintext = make_token(organisation=personas.police)
        client, headers = Client(), bearer(plaintext)
    else:
        client, headers = client_for("coordinator"), {}
    OrganisationFactory.create(parent=personas.interior)
    with_one = _count_queries(client, headers)
    for _ in range(19):
        OrganisationFactory.create(parent=personas.interior)
    with_twenty = _count_queries(client, headers)
    assert client.get(URL, {"limit": 100}, headers=headers).json()["count"] == 28
    assert with_one == with_twenty


def test_empty_filters_mean_no_filter(personas: Personas, headers: dict[str, str]) -> None:
    """An empty search, as an HTML form would send it, lists everything."""
    body = Client().get(URL, {"q": ""}, headers=headers).json()
    assert body["count"] == 8
