"""Who sees and acts on which returns, and who keeps the reference data they report: for
each persona, page and status, 200, 302, 403 or 404."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, Population, ReportingAssignment
from polku.statistics.permissions_returns import return_scope
from polku.statistics.selectors_returns import national_figures
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    make_return,
    set_up_reporting,
)

pytestmark = pytest.mark.django_db

COORDINATION = {"coordinator", "secretariat", "secretariat2"}

# Who reads a return's page, by its status. The data provider's organisation owns it.
READERS: dict[str, set[str]] = {
    ReturnStatus.DRAFT: {"dataprovider"},
    ReturnStatus.SUBMITTED: {"dataprovider"} | COORDINATION,
    ReturnStatus.VALIDATED: {"dataprovider"} | COORDINATION,
    ReturnStatus.RETURNED: {"dataprovider"},
    # The rapporteur reads protected national tables, never a return's raw figures.
    ReturnStatus.ACCEPTED: {"dataprovider"} | COORDINATION,
}
LIST_READERS = {"dataprovider"} | COORDINATION


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    return set_up_reporting(personas)


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_it_shows_the_list_only_to_those_with_a_part_in_returns(
    reporting: Reporting, client_for: ClientFor, name: str
) -> None:
    response = client_for(name).get(reverse("statistics:return_list"))
    if name == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if name in LIST_READERS else 403)


@pytest.mark.parametrize("status", list(READERS))
@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_it_shows_a_return_by_status_and_role(
    reporting: Reporting, client_for: ClientFor, name: str, status: str
) -> None:
    statistics_return = make_return(reporting, status=status)
    for url in (
        statistics_return.get_absolute_url(),
        reverse("statistics:return_template", kwargs={"pk": statistics_return.pk}),
    ):
        response = client_for(name).get(url)
        if name == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if name in READERS[status] else 404), url


@pytest.mark.parametrize("status", list(READERS))
def test_it_hides_another_organisations_returns_from_a_provider(
    reporting: Reporting, status: str
) -> None:
    """The provider of org B never sees org A's returns, and the other way round."""
    theirs = make_return(reporting, status=status, other=True)
    mine = make_return(reporting, status=status, year=2023)
    client = Client()
    client.force_login(reporting.provider)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert list(return_scope(reporting.provider)) == [mine]
    assert list(return_scope(reporting.other_provider)) == [theirs]


def test_it_shows_the_validator_their_organisations_returns_only(reporting: Reporting) -> None:
    mine = make_return(reporting, status=ReturnStatus.SUBMITTED)
    make_return(reporting, status=ReturnStatus.SUBMITTED, other=True)
    assert list(return_scope(reporting.validator)) == [mine]


# (page, status the return is in, personas allowed; those who see it but may not act get 403)
ACTIONS = [
    ("return_edit", ReturnStatus.DRAFT, {"dataprovider"}),
    ("return_upload", ReturnStatus.RETURNED, {"dataprovider"}),
    ("return_submit", ReturnStatus.DRAFT, {"dataprovider"}),
    ("return_edit", ReturnStatus.SUBMITTED, set()),
    ("return_validate", ReturnStatus.SUBMITTED, set()),
    ("return_send_back", ReturnStatus.SUBMITTED, set()),
    ("return_accept", ReturnStatus.SUBMITTED, set()),
    ("return_accept", ReturnStatus.VALIDATED, COORDINATION),
    ("return_send_back", ReturnStatus.VALIDATED, COORDINATION),
    ("return_revise", ReturnStatus.ACCEPTED, {"dataprovider"}),
    ("return_revise", ReturnStatus.DRAFT, set()),
]


@pytest.mark.parametrize(("page", "status", "allowed"), ACTIONS)
@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_it_lets_only_the_right_role_act(
    reporting: Reporting,
    client_for: ClientFor,
    name: str,
    page: str,
    status: str,
    allowed: set[str],
) -> None:
    statistics_return = make_return(reporting, status=status)
    response = client_for(name).get(
        reverse(f"statistics:{page}", kwargs={"pk": statistics_return.pk})
    )
    if name == "anonymous":
        expected = 302
    elif name in allowed:
        expected = 200
    elif name in READERS[status]:
        expected = 403
    else:
        expected = 404
    assert response.status_code == expected


def test_it_lets_the_designated_validator_validate_a_submitted_return(
    reporting: Reporting,
) -> None:
    statistics_return = make_return(reporting, status=ReturnStatus.SUBMITTED)
    client = Client()
    client.force_login(reporting.validator)
    url = reverse("statistics:return_validate", kwargs={"pk": statistics_return.pk})
    assert client.get(url).status_code == 200
    other = make_return(reporting, status=ReturnStatus.SUBMITTED, other=True)
    assert (
        client.get(reverse("statistics:return_validate", kwargs={"pk": other.pk})).status_code
        == 404
    )


def test_it_counts_only_accepted_returns_nationally(reporting: Reporting) -> None:
    """Reporting's sums never include a return that is not accepted."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    make_return(reporting, status=ReturnStatus.VALIDATED, victims=99, other=True)
    totals = [
        figure.value
        for figure in national_figures(years=[2024], indicator_codes=["registered_victims"])
        if not figure.dimension
    ]
    assert totals == [10]


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_it_shows_indicator_definitions_to_insiders(
    reporting: Reporting, client_for: ClientFor, name: str
) -> None:
    """Every insider reads them; an outsider is refused the list and never finds a page."""
    pages = [
        (reverse("statistics:indicator_list"), 403),
        (reverse("statistics:indicator_detail", kwargs={"code": "registered_victims"}), 404),
    ]
    for url, refused in pages:
        response = client_for(name).get(url)
        if name == "anonymous":
            assert response.status_code == 302
        elif name == "outsider":
            assert response.status_code == refused
        else:
            assert response.status_code == 200


# The reference data: every insider reads it, the keepers change it.
KEEPERS = COORDINATION | {"admin"}
INSIDERS = {name for name in PERSONA_NAMES if name not in {"outsider", "anonymous"}}


def _reference_pages(reporting: Reporting) -> list[tuple[str, set[str], int]]:
    """(url, personas allowed, what an outsider gets: 403 on pages naming no record, 404
    where one is named)."""
    assignment = ReportingAssignment.objects.get(
        organisation=reporting.other, indicator__code="registered_victims"
    )
    on_assignment = {"code": "registered_victims", "pk": assignment.pk}
    return [
        (reverse("statistics:indicator_list"), INSIDERS, 403),
        (reverse("statistics:indicator_detail", kwargs={"code": "suspects"}), INSIDERS, 404),
        (reverse("statistics:population_list"), INSIDERS, 403),
        (reverse("statistics:indicator_create"), KEEPERS, 403),
        (reverse("statistics:indicator_edit", kwargs={"code": "suspects"}), KEEPERS, 404),
        (reverse("statistics:assignment_add", kwargs={"code": "suspects"}), KEEPERS, 404),
        (reverse("statistics:assignment_end", kwargs=on_assignment), KEEPERS, 404),
        (reverse("statistics:assignment_national_source", kwargs=on_assignment), KEEPERS, 404),
        (reverse("statistics:population_record"), KEEPERS, 403),
        (reverse("statistics:population_correct", kwargs={"year": 2024}), KEEPERS, 404),
    ]


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_it_lets_only_the_keepers_change_the_reference_data(
    reporting: Reporting, client_for: ClientFor, name: str
) -> None:
    Population.objects.create(year=2024, reference_date=datetime.date(2024, 12, 31), total=100)
    for url, allowed, outsider in _reference_pages(reporting):
        response = client_for(name).get(url)
        if name == "anonymous":
            expected = 302
        elif name == "outsider":
            expected = outsider
        else:
            expected = 200 if name in allowed else 403
        assert response.status_code == expected, url


@pytest.mark.parametrize("name", sorted(set(PERSONA_NAMES) - KEEPERS))
def test_it_changes_nothing_for_anyone_else_who_posts(
    reporting: Reporting, client_for: ClientFor, name: str
) -> None:
    """A post from anyone but a keeper is refused before it reaches a service."""
    assignment = ReportingAssignment.objects.get(
        organisation=reporting.other, indicator__code="registered_victims"
    )
    on_assignment = {"code": "registered_victims", "pk": assignment.pk}
    client = client_for(name)
    posts = [
        (reverse("statistics:indicator_create"), {"code": "new_one", "name": "N"}),
        (reverse("statistics:indicator_edit", kwargs={"code": "suspects"}), {"name": "N"}),
        (
            reverse("statistics:assignment_add", kwargs={"code": "suspects"}),
            {"organisation": reporting.other.pk, "from_year": 2030},
        ),
        (reverse("statistics:assignment_end", kwargs=on_assignment), {"to_year": 2024}),
        (reverse("statistics:assignment_national_source", kwargs=on_assignment), {"make": "1"}),
        (reverse("statistics:population_record"), {"year": 2020, "total": 10}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in {302, 403, 404}, url
    assignment.refresh_from_db()
    assert (assignment.to_year, assignment.is_national_source) == (None, False)
    assert not Indicator.objects.filter(code="new_one").exists()
    assert Indicator.objects.get(code="suspects").name == "Suspects"
    assert not Population.objects.exists()
    assert ReportingAssignment.objects.filter(indicator__code="suspects").count() == 2
