"""The coordination keeps the reference data: indicators, who reports them and whether their
count is the national figure, and the population. Every change is audited; a change that
would break figures already given is refused with a clear message and changes nothing."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.accounts.choices import Role
from polku.actors.tests.factories import make_membership, make_organisation, make_user
from polku.audit.models import AuditEvent
from polku.core.navigation import destinations_for
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import (
    Indicator,
    Population,
    ReportingAssignment,
    ReturnFigure,
    ReturnValidator,
)
from polku.statistics.selectors_returns import awaited_national_sources, national_figures
from polku.statistics.services.indicators import (
    PopulationFigures,
    assignment_add,
    assignment_end,
    assignment_set_national_source,
    indicator_create,
    indicator_update,
    population_record,
)
from polku.statistics.services.returns import return_accept
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    make_return,
    set_up_reporting,
)

pytestmark = pytest.mark.django_db

NEW_INDICATOR: dict[str, Any] = {
    "code": "forced_marriages",
    "name": "Forced marriages",
    "name_fi": "Pakkoavioliitot",
    "definition": "Persons identified as married against their will.",
    "unit": "persons",
    "dimensions": ["exploitation_form", "sex"],
    "order": 90,
    "is_active": True,
}


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    return set_up_reporting(personas)


def _assignment(organisation_name: str, code: str = "registered_victims") -> ReportingAssignment:
    return ReportingAssignment.objects.get(
        organisation__name=organisation_name, indicator__code=code
    )


def _error(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


def _form_data(indicator: Indicator, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": indicator.name,
        "name_fi": indicator.name_fi,
        "name_sv": indicator.name_sv,
        "definition": indicator.definition,
        "definition_fi": indicator.definition_fi,
        "definition_sv": indicator.definition_sv,
        "unit": indicator.unit,
        "dimensions": list(indicator.dimensions),
        "order": indicator.order,
    }
    if indicator.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# ---------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------


def test_it_defines_an_indicator_and_audits_it(personas: Personas) -> None:
    indicator = indicator_create(actor=personas.secretariat, data=NEW_INDICATOR)
    assert indicator.name_fi == "Pakkoavioliitot"
    assert indicator.dimensions == ["sex", "exploitation_form"]
    assert indicator.created_by == personas.secretariat
    event = AuditEvent.objects.get(action="statistics.indicator.create")
    assert event.actor == personas.secretariat
    assert event.after is not None and event.after["code"] == "forced_marriages"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "registered_victims"}, "code", "already exists"),
        ({"code": "Forced Marriages"}, "code", "lower-case letters"),
        ({"code": ""}, "code", "Enter a code"),
        ({"code": "new"}, "code", "kept for a page's address"),
        ({"name": "  "}, "name", "name in English"),
        ({"definition": ""}, "definition", "definition in English"),
        ({"dimensions": ["sex", "shoe_size"]}, "dimensions", "“shoe_size” is not a breakdown"),
        ({"unit": "litres"}, "unit", "Choose the unit"),
    ],
)
def test_it_refuses_a_faulty_indicator_and_writes_nothing(
    personas: Personas, changes: dict[str, Any], field: str, message: str
) -> None:
    before = Indicator.objects.count()
    with pytest.raises(ValidationError) as error:
        indicator_create(actor=personas.coordinator, data={**NEW_INDICATOR, **changes})
    assert message in _error(error, field)
    assert Indicator.objects.count() == before
    assert not AuditEvent.objects.filter(action__startswith="statistics.indicator").exists()


def test_it_lets_only_keepers_change_indicators(personas: Personas) -> None:
    for person in (personas.dataprovider, personas.rapporteur, personas.practitioner):
        with pytest.raises(PermissionDenied):
            indicator_create(actor=person, data=NEW_INDICATOR)
    suspects = Indicator.objects.get(code="suspects")
    with pytest.raises(PermissionDenied):
        indicator_update(actor=personas.dataprovider, indicator=suspects, data={"order": 1})
    assert not Indicator.objects.filter(code="forced_marriages").exists()
    indicator_create(actor=personas.admin, data=NEW_INDICATOR)


def test_it_records_only_what_an_update_changes(personas: Personas) -> None:
    suspects = Indicator.objects.get(code="suspects")
    indicator_update(
        actor=personas.coordinator,
        indicator=suspects,
        data={"name_sv": "Misstänkta personer", "order": suspects.order},
    )
    suspects.refresh_from_db()
    assert suspects.name_sv == "Misstänkta personer"
    event = AuditEvent.objects.get(action="statistics.indicator.update")
    assert event.before == {"name_sv": "Misstänkta"}
    assert event.after == {"name_sv": "Misstänkta personer"}
    indicator_update(actor=personas.coordinator, indicator=suspects, data={"order": suspects.order})
    assert AuditEvent.objects.filter(action="statistics.indicator.update").count() == 1


def test_it_keeps_an_indicators_code(personas: Personas) -> None:
    suspects = Indicator.objects.get(code="suspects")
    with pytest.raises(ValidationError) as error:
        indicator_update(actor=personas.coordinator, indicator=suspects, data={"code": "accused"})
    assert "code cannot change" in _error(error, "code")
    assert Indicator.objects.filter(code="suspects").exists()


def test_it_refuses_to_remove_a_breakdown_that_returns_give(reporting: Reporting) -> None:
    """Returns give suspects by sex: removing sex would orphan their figures."""
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    make_return(reporting, status=ReturnStatus.DRAFT, other=True)
    suspects = Indicator.objects.get(code="suspects")
    kept = list(suspects.dimensions)
    with pytest.raises(ValidationError) as error:
        indicator_update(
            actor=reporting.coordinator,
            indicator=suspects,
            data={"dimensions": [d for d in kept if d != "sex"]},
        )
    message = _error(error, "dimensions")
    assert message.startswith("2 returns already give this indicator by Sex")
    assert "retire this indicator and define a new one" in message
    suspects.refresh_from_db()
    assert suspects.dimensions == kept
    assert not AuditEvent.objects.filter(action="statistics.indicator.update").exists()


def test_it_removes_a_breakdown_no_return_gives(reporting: Reporting) -> None:
    """Nothing is lost where no return holds the breakdown; adding one is always safe."""
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    suspects = Indicator.objects.get(code="suspects")
    assert "age_band" in suspects.dimensions
    changed = [d for d in suspects.dimensions if d != "age_band"]
    indicator_update(actor=reporting.coordinator, indicator=suspects, data={"dimensions": changed})
    suspects.refresh_from_db()
    assert "age_band" not in suspects.dimensions
    indicator_update(
        actor=reporting.coordinator,
        indicator=suspects,
        data={"dimensions": [*changed, "age_band"]},
    )
    suspects.refresh_from_db()
    assert "age_band" in suspects.dimensions


def test_it_refuses_to_change_the_unit_once_returns_count_it(reporting: Reporting) -> None:
    make_return(reporting, status=ReturnStatus.DRAFT)
    suspects = Indicator.objects.get(code="suspects")
    with pytest.raises(ValidationError) as error:
        indicator_update(actor=reporting.coordinator, indicator=suspects, data={"unit": "cases"})
    assert "Returns already count this indicator in persons" in _error(error, "unit")
    suspects.refresh_from_db()
    assert suspects.unit == "persons"


def test_it_retires_an_indicator_from_reporting(reporting: Reporting) -> None:
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    suspects = Indicator.objects.get(code="suspects")
    indicator_update(actor=reporting.coordinator, indicator=suspects, data={"is_active": False})
    suspects.refresh_from_db()
    assert not suspects.is_active
    event = AuditEvent.objects.get(action="statistics.indicator.update")
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})
    # Its figures are kept.
    assert ReturnFigure.objects.filter(indicator=suspects).exists()


# ---------------------------------------------------------------------------------------
# Who reports what, and the national source
# ---------------------------------------------------------------------------------------


def test_it_refuses_a_second_national_source_in_overlapping_years(reporting: Reporting) -> None:
    """One national source a year: a second one in any shared year is refused, with the
    organisation and years named; the national figure would otherwise add two counts."""
    victims = Indicator.objects.get(code="registered_victims")
    assignment_set_national_source(
        actor=reporting.coordinator,
        assignment=_assignment("Border Agency"),
        is_national_source=True,
    )
    with pytest.raises(ValidationError) as error:
        assignment_set_national_source(
            actor=reporting.coordinator,
            assignment=_assignment("Statistics Office"),
            is_national_source=True,
        )
    assert _error(error, "is_national_source").startswith(
        "Border Agency is already the national source of this indicator from 2000."
    )
    assert not _assignment("Statistics Office").is_national_source

    third = make_organisation(name="Assistance System")
    with pytest.raises(ValidationError) as error:
        assignment_add(
            actor=reporting.coordinator,
            organisation=third,
            indicator=victims,
            from_year=2030,
            is_national_source=True,
        )
    assert "Border Agency is already the national source" in _error(error, "is_national_source")
    assert not ReportingAssignment.objects.filter(organisation=third).exists()


def test_it_hands_the_national_source_on_from_one_year_to_the_next(
    reporting: Reporting,
) -> None:
    """The border agency is the source until 2023 and the statistics office from 2024; both
    go on reporting. Ending an assignment first lets the next start the year after."""
    victims = Indicator.objects.get(code="registered_victims")
    border = _assignment("Border Agency")
    office = _assignment("Statistics Office")
    coordinator = reporting.coordinator
    assignment_set_national_source(actor=coordinator, assignment=border, is_national_source=True)
    for assignment in (border, office):
        assignment_end(actor=coordinator, assignment=assignment, to_year=2023)
    later_border = assignment_add(
        actor=coordinator, organisation=reporting.other, indicator=victims, from_year=2024
    )
    assignment_add(
        actor=coordinator,
        organisation=reporting.organisation,
        indicator=victims,
        from_year=2024,
        is_national_source=True,
    )
    for year in (2023, 2024):
        make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10, year=year)
        make_return(reporting, status=ReturnStatus.ACCEPTED, victims=7, other=True, year=year)
    totals = {
        f.year: f.value
        for f in national_figures(years=[2023, 2024], indicator_codes=["registered_victims"])
        if not f.dimension
    }
    assert totals == {2023: 7, 2024: 10}
    with pytest.raises(ValidationError) as error:
        assignment_set_national_source(
            actor=coordinator, assignment=later_border, is_national_source=True
        )
    assert _error(error, "is_national_source").startswith(
        "Statistics Office is already the national source of this indicator from 2024."
    )
    # Extending the border agency's first years would overlap its own later assignment.
    with pytest.raises(ValidationError) as error:
        assignment_end(actor=coordinator, assignment=border, to_year=2025)
    assert _error(error, "from_year").startswith(
        "Border Agency already reports this indicator from 2024."
    )
    border.refresh_from_db()
    assert border.to_year == 2023


def test_it_refuses_an_organisation_reporting_an_indicator_twice_in_a_year(
    reporting: Reporting,
) -> None:
    victims = Indicator.objects.get(code="registered_victims")
    with pytest.raises(ValidationError) as error:
        assignment_add(
            actor=reporting.coordinator,
            organisation=reporting.other,
            indicator=victims,
            from_year=2024,
        )
    assert _error(error, "from_year").startswith(
        "Border Agency already reports this indicator from 2000."
    )
    assert ReportingAssignment.objects.filter(organisation=reporting.other).count() == 2


def test_it_adds_the_same_assignment_once(reporting: Reporting) -> None:
    organisation = make_organisation(name="Labour Inspection")
    victims = Indicator.objects.get(code="registered_victims")
    for _attempt in range(2):
        assignment_add(
            actor=reporting.coordinator,
            organisation=organisation,
            indicator=victims,
            from_year=2022,
            to_year=2024,
        )
    assert ReportingAssignment.objects.filter(organisation=organisation).count() == 1
    assert AuditEvent.objects.filter(action="statistics.assignment.add").count() == 1


def test_it_ends_an_assignment_no_earlier_than_it_starts(reporting: Reporting) -> None:
    border = _assignment("Border Agency")
    with pytest.raises(ValidationError) as error:
        assignment_end(actor=reporting.coordinator, assignment=border, to_year=1999)
    assert _error(error, "to_year") == "The last year cannot be before the first year, 2000."
    border.refresh_from_db()
    assert border.to_year is None
    with pytest.raises(PermissionDenied):
        assignment_end(actor=reporting.provider, assignment=border, to_year=2024)
    assignment_end(actor=reporting.coordinator, assignment=border, to_year=2024)
    border.refresh_from_db()
    assert border.to_year == 2024
    event = AuditEvent.objects.get(action="statistics.assignment.end")
    assert event.before is not None and event.after is not None
    assert (event.before["to_year"], event.after["to_year"]) == (None, 2024)


# ---------------------------------------------------------------------------------------
# The national source's return, awaited
# ---------------------------------------------------------------------------------------


def test_it_names_the_national_source_whose_return_is_awaited(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The border agency is the source of registered victims and its 2024 return is only
    validated: no national figure, and the indicator's page says whose return it waits for."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    border_return = make_return(reporting, status=ReturnStatus.VALIDATED, other=True)
    assignment_set_national_source(
        actor=reporting.coordinator,
        assignment=_assignment("Border Agency"),
        is_national_source=True,
    )
    awaited = awaited_national_sources(years=[2024])
    assert [(a.year, a.indicator_code, a.organisation.name, a.status) for a in awaited] == [
        (2024, "registered_victims", "Border Agency", ReturnStatus.VALIDATED)
    ]
    url = reverse("statistics:indicator_detail", kwargs={"code": "registered_victims"})
    sentence = (
        "Awaiting the accepted return of Border Agency, the national source for this "
        "indicator; no national figure is shown until it is accepted."
    )
    page = client_for("practitioner").get(url).content.decode()
    assert sentence in page
    # A practitioner may see no return, so is not told where the Border Agency's stands.
    assert "Its return is" not in page
    assert "It has not started its return." not in page
    keeper = client_for("coordinator").get(url).content.decode()
    assert sentence in keeper
    assert "Its return is validated." in keeper
    suspects = client_for("practitioner").get(
        reverse("statistics:indicator_detail", kwargs={"code": "suspects"})
    )
    assert "Awaiting" not in suspects.content.decode()
    return_accept(actor=reporting.coordinator, statistics_return=border_return)
    assert awaited_national_sources(years=[2024]) == []
    assert "Awaiting" not in client_for("practitioner").get(url).content.decode()


# ---------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------


def test_it_defines_an_indicator_from_its_page(client_for: ClientFor) -> None:
    client = client_for("secretariat")
    url = reverse("statistics:indicator_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {**NEW_INDICATOR, "is_active": "on"})
    created = Indicator.objects.get(code="forced_marriages")
    assert response["Location"] == created.get_absolute_url()
    assert created.dimensions == ["sex", "exploitation_form"]
    again = client.post(url, {**NEW_INDICATOR, "is_active": "on"})
    assert again.status_code == 200
    assert "An indicator with the code forced_marriages already exists." in again.content.decode()
    assert Indicator.objects.filter(code="forced_marriages").count() == 1


def test_it_shows_a_refused_breakdown_removal_on_the_form(
    reporting: Reporting, client_for: ClientFor
) -> None:
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    suspects = Indicator.objects.get(code="suspects")
    data = _form_data(suspects, dimensions=[d for d in suspects.dimensions if d != "citizenship"])
    response = client_for("coordinator").post(
        reverse("statistics:indicator_edit", kwargs={"code": "suspects"}), data
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A return already gives this indicator by Citizenship" in page
    assert 'id="id_dimensions-error"' in page
    suspects.refresh_from_db()
    assert "citizenship" in suspects.dimensions


def test_it_retires_an_indicator_after_confirming(client_for: ClientFor) -> None:
    """Unticking "Collected" first shows what retiring does; only confirming retires it."""
    suspects = Indicator.objects.get(code="suspects")
    client = client_for("admin")
    url = reverse("statistics:indicator_edit", kwargs={"code": "suspects"})
    data = _form_data(suspects, is_active=None)
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "Retire the indicator" in confirm.content.decode()
    # Nobody reports it: the page says so rather than count "the 0 organisations".
    assert "No organisation reports it now" in confirm.content.decode()
    assert "The 0 organisations" not in confirm.content.decode()
    suspects.refresh_from_db()
    assert suspects.is_active
    done = client.post(url, {**data, "confirmed": "True"})
    assert done["Location"] == suspects.get_absolute_url()
    suspects.refresh_from_db()
    assert not suspects.is_active
    # A retired indicator stays on the keepers' list, to be brought back.
    listing = client.get(reverse("statistics:indicator_list")).content.decode()
    assert "Retired" in listing and suspects.get_absolute_url() in listing
    others = client_for("practitioner").get(reverse("statistics:indicator_list"))
    assert suspects.get_absolute_url() not in others.content.decode()


def test_it_offers_the_changes_to_keepers_only(client_for: ClientFor) -> None:
    edit = reverse("statistics:indicator_edit", kwargs={"code": "suspects"})
    detail = reverse("statistics:indicator_detail", kwargs={"code": "suspects"})
    for name, shown in [("coordinator", True), ("admin", True), ("dataprovider", False)]:
        listing = client_for(name).get(reverse("statistics:indicator_list")).content.decode()
        page = client_for(name).get(detail).content.decode()
        assert (edit in listing) is shown, name
        assert (edit in page) is shown, name
        assert (reverse("statistics:indicator_create") in listing) is shown, name


def test_it_adds_a_reporter_and_shows_a_refusal_on_the_field(
    reporting: Reporting, client_for: ClientFor
) -> None:
    assignment_set_national_source(
        actor=reporting.coordinator,
        assignment=_assignment("Border Agency"),
        is_national_source=True,
    )
    labour = make_organisation(name="Labour Inspection")
    client = client_for("secretariat")
    url = reverse("statistics:assignment_add", kwargs={"code": "registered_victims"})
    refused = client.post(
        url, {"organisation": labour.pk, "from_year": 2025, "is_national_source": "on"}
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Border Agency is already the national source of this indicator from 2000." in page
    assert 'id="id_is_national_source-error"' in page
    assert not ReportingAssignment.objects.filter(organisation=labour).exists()
    early = client.post(url, {"organisation": labour.pk, "from_year": 2025, "to_year": 2024})
    assert "The last year cannot be before the first year, 2025." in early.content.decode()
    added = client.post(url, {"organisation": labour.pk, "from_year": 2025})
    assert added.status_code == 302
    assert ReportingAssignment.objects.get(organisation=labour).to_year is None
    detail = client.get(
        reverse("statistics:indicator_detail", kwargs={"code": "registered_victims"})
    )
    assert "Labour Inspection" in detail.content.decode()


def test_it_ends_an_assignment_from_its_page(reporting: Reporting, client_for: ClientFor) -> None:
    border = _assignment("Border Agency")
    url = reverse(
        "statistics:assignment_end", kwargs={"code": "registered_victims", "pk": border.pk}
    )
    client = client_for("coordinator")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"to_year": 1999})
    assert "Enter a year from 1950" not in refused.content.decode()
    assert "The last year cannot be before the first year, 2000." in refused.content.decode()
    client.post(url, {"to_year": 2023})
    border.refresh_from_db()
    assert border.to_year == 2023
    # Border Agency is not the national source: the national figure is the same sum.
    assert "This changes the national figure" not in client.get(url).content.decode()
    other = reverse("statistics:assignment_end", kwargs={"code": "suspects", "pk": border.pk})
    assert client.get(other).status_code == 404


def test_it_confirms_a_national_source_with_its_consequence(
    reporting: Reporting, client_for: ClientFor
) -> None:
    border = _assignment("Border Agency")
    url = reverse(
        "statistics:assignment_national_source",
        kwargs={"code": "registered_victims", "pk": border.pk},
    )
    client = client_for("secretariat2")
    page = client.get(url).content.decode()
    assert "Make Border Agency the national source" in page
    assert "becomes Border Agency's accepted count alone" in page
    assert "are not added to it" in page
    border.refresh_from_db()
    assert not border.is_national_source
    client.post(url, {"make": "1"})
    border.refresh_from_db()
    assert border.is_national_source
    # The second organisation is refused, and the page says why.
    office = _assignment("Statistics Office")
    other_url = reverse(
        "statistics:assignment_national_source",
        kwargs={"code": "registered_victims", "pk": office.pk},
    )
    # The page says so before anything is pressed, offers no button, and links to the ways
    # out: stopping Border Agency's designation or ending its assignment.
    warned = client.get(other_url).content.decode()
    assert "Border Agency is already the national source of this indicator" in warned
    assert "Make it the national source</button>" not in warned
    stop_border = reverse(
        "statistics:assignment_national_source",
        kwargs={"code": "registered_victims", "pk": border.pk},
    )
    end_border = reverse(
        "statistics:assignment_end", kwargs={"code": "registered_victims", "pk": border.pk}
    )
    assert f'href="{stop_border}"' in warned
    assert f'href="{end_border}"' in warned
    refused = client.post(other_url, {"make": "1"})
    assert "Border Agency is already the national source" in refused.content.decode()
    office.refresh_from_db()
    assert not office.is_national_source
    stop = client.get(url).content.decode()
    assert "Stop Border Agency being the national source" in stop
    assert "is already the national source" not in stop
    client.post(url, {"make": "0"})
    border.refresh_from_db()
    assert not border.is_national_source


def test_it_records_and_corrects_a_years_population(client_for: ClientFor) -> None:
    client = client_for("coordinator")
    url = reverse("statistics:population_record")
    uneven = client.post(url, {"year": 2024, "total": 1000, "females": 500, "males": 400})
    assert uneven.status_code == 200
    page = uneven.content.decode()
    assert 'id="id_females-error"' in page
    assert "Males and females must add up to the total." in page
    assert not Population.objects.exists()
    client.post(url, {"year": 2024, "total": 1000, "females": 500, "males": 500})
    assert Population.objects.get(year=2024).females == 500
    again = client.post(url, {"year": 2024, "total": 1200})
    assert "The population of 2024 is already recorded" in again.content.decode()
    assert Population.objects.get(year=2024).total == 1000
    correct = reverse("statistics:population_correct", kwargs={"year": 2024})
    assert client.get(correct).status_code == 200
    client.post(correct, {"total": 1002, "females": 501, "males": 501, "source": "Census"})
    corrected = Population.objects.get(year=2024)
    assert (corrected.total, corrected.source) == (1002, "Census")
    assert AuditEvent.objects.filter(action="statistics.population.record").count() == 1
    assert AuditEvent.objects.filter(action="statistics.population.correct").count() == 1
    listing = client.get(reverse("statistics:population_list")).content.decode()
    assert "1002" in listing and correct in listing
    assert (
        correct
        not in client_for("practitioner")
        .get(reverse("statistics:population_list"))
        .content.decode()
    )


def test_it_refuses_a_part_larger_than_the_population(personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        population_record(
            actor=personas.coordinator,
            year=2024,
            figures=PopulationFigures(total=100, children=120),
        )
    assert _error(error, "children") == "Children cannot be more than the total."
    assert not Population.objects.exists()


def test_it_says_when_nothing_is_recorded(client_for: ClientFor) -> None:
    page = client_for("coordinator").get(reverse("statistics:population_list")).content.decode()
    assert "No population figures are recorded yet." in page
    detail = client_for("coordinator").get(
        reverse("statistics:indicator_detail", kwargs={"code": "residence_permits"})
    )
    assert "No organisation reports this indicator yet." in detail.content.decode()


# ---------------------------------------------------------------------------------------
# Query budgets
# ---------------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_shows_an_indicator_in_a_fixed_number_of_queries(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """One reporter and 20 (some national sources awaited) cost the same queries."""
    victims = Indicator.objects.get(code="registered_victims")
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    client = client_for("coordinator")
    url = reverse("statistics:indicator_detail", kwargs={"code": "suspects"})
    one = _count(client, url)
    for index in range(19):
        organisation = make_organisation(name=f"Authority {index}")
        assignment_add(
            actor=reporting.coordinator,
            organisation=organisation,
            indicator=Indicator.objects.get(code="suspects"),
            from_year=2000 + index,
            to_year=2000 + index,
            is_national_source=True,
        )
        assignment_add(
            actor=reporting.coordinator,
            organisation=organisation,
            indicator=victims,
            from_year=2024,
        )
    assert _count(client, url) == one


def test_it_lists_indicators_and_population_in_a_fixed_number_of_queries(
    reporting: Reporting, client_for: ClientFor
) -> None:
    client = client_for("secretariat")
    population_record(actor=None, system=True, year=2000, figures=PopulationFigures(total=1000))
    urls = [reverse("statistics:indicator_list"), reverse("statistics:population_list")]
    counts = [_count(client, url) for url in urls]
    for year in range(2001, 2030):
        population_record(
            actor=None, system=True, year=year, figures=PopulationFigures(total=1000 + year)
        )
    for index in range(5):
        indicator_create(
            actor=None,
            system=True,
            data={**NEW_INDICATOR, "code": f"extra_{index}", "order": 100 + index},
        )
    assert [_count(client, url) for url in urls] == counts


# ---------------------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------------------


def _labels(user: Any) -> list[str]:
    return [str(destination.label) for destination in destinations_for(user)]


def test_it_offers_the_returns_to_a_designated_validator(personas: Personas) -> None:
    """A validator holding no statistics role still finds the returns they validate; the
    designation ended, the menu no longer offers them."""
    person = make_user(username="inspector")
    make_membership(user=person, organisation=personas.police, role=Role.PRACTITIONER)
    assert "Returns" not in _labels(person)
    designation = ReturnValidator.objects.create(organisation=personas.police, user=person)
    fresh = type(person).objects.get(pk=person.pk)
    assert "Returns" in _labels(fresh)
    client = Client()
    client.force_login(fresh)
    assert client.get(reverse("statistics:return_list")).status_code == 200
    cards = client.get(reverse("core:statistics")).content.decode()
    assert reverse("statistics:return_list") in cards
    designation.is_active = False
    designation.save()
    assert "Returns" not in _labels(type(person).objects.get(pk=person.pk))


def test_it_offers_the_reference_data_to_its_keepers(personas: Personas) -> None:
    for person, offered in [
        (personas.coordinator, True),
        (personas.secretariat, True),
        (personas.admin, True),
        (personas.dataprovider, False),
        (personas.rapporteur, False),
    ]:
        assert ("Indicators" in _labels(person)) is offered, person.username
