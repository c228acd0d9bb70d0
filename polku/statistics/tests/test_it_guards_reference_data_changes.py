"""Changes to reference data say what they change and refuse what would break: a national
figure already accepted, a population year already recorded, a figure out of range. The
indicator's page says where an awaited return stands only to those who may see it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.actors.tests.factories import make_organisation
from polku.audit.models import AuditEvent
from polku.statistics import demo_returns
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, Population, ReportingAssignment
from polku.statistics.services.indicators import (
    POPULATION_MAX,
    PopulationFigures,
    assignment_add,
    assignment_set_national_source,
    indicator_create,
    population_correct,
    population_record,
)
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    make_return,
    set_up_reporting,
)
from polku.statistics.wording import (
    awaited_source_sentence,
    national_figure_change_sentence,
    years_list_label,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    return set_up_reporting(personas)


def _border() -> ReportingAssignment:
    return ReportingAssignment.objects.get(
        organisation__name="Border Agency", indicator__code="registered_victims"
    )


def _detail_url() -> str:
    return reverse("statistics:indicator_detail", kwargs={"code": "registered_victims"})


# ---------------------------------------------------------------------------------------
# Where an awaited return stands
# ---------------------------------------------------------------------------------------


def test_it_keeps_a_draft_of_the_national_source_from_the_coordination(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The coordination sees returns once sent: of a draft it learns nothing, not even that
    the return is started; the organisation's own people see where it stands."""
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    make_return(reporting, status=ReturnStatus.DRAFT, other=True)
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=_border(), is_national_source=True
    )
    sentence = awaited_source_sentence("Border Agency")
    for persona in ("coordinator", "secretariat", "practitioner", "dataprovider"):
        page = client_for(persona).get(_detail_url()).content.decode()
        assert sentence in page, persona
        assert "Its return is" not in page, persona
        assert "It has not started its return." not in page, persona
    client = client_for("anonymous")
    client.force_login(reporting.other_provider)
    assert "Its return is draft." in client.get(_detail_url()).content.decode()


def test_it_tells_the_organisation_alone_that_it_has_not_started(
    reporting: Reporting, client_for: ClientFor
) -> None:
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=_border(), is_national_source=True
    )
    coordinator = client_for("coordinator").get(_detail_url()).content.decode()
    assert awaited_source_sentence("Border Agency") in coordinator
    assert "It has not started its return." not in coordinator
    client = client_for("anonymous")
    client.force_login(reporting.other_provider)
    assert "It has not started its return." in client.get(_detail_url()).content.decode()


def test_it_reads_no_return_to_say_where_it_stands(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The status is said from the same scope as the list of returns, which records no
    read: only opening a return's figures does."""
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    make_return(reporting, status=ReturnStatus.VALIDATED, other=True)
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=_border(), is_national_source=True
    )
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).count()
    page = client_for("coordinator").get(_detail_url()).content.decode()
    assert "Its return is validated." in page
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).count() == before


def test_it_names_the_awaited_source_without_a_possessive() -> None:
    sentence = awaited_source_sentence("Border Agency")
    assert sentence == (
        "Awaiting the accepted return of Border Agency, the national source for this "
        "indicator; no national figure is shown until it is accepted."
    )
    assert "'s" not in sentence


def test_it_escapes_the_organisations_name_on_the_page(
    reporting: Reporting, client_for: ClientFor
) -> None:
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    border = _border()
    reporting.other.name = "<b>Border</b> Agency"
    reporting.other.save(update_fields=["name"])
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=border, is_national_source=True
    )
    page = client_for("practitioner").get(_detail_url()).content.decode()
    assert "<b>Border</b>" not in page
    assert "&lt;b&gt;Border&lt;/b&gt; Agency" in page


# ---------------------------------------------------------------------------------------
# Changes that reach national figures already accepted
# ---------------------------------------------------------------------------------------


def test_it_lists_years_as_spans() -> None:
    assert years_list_label([2025, 2021, 2022, 2023, 2024]) == "2021\u20132025"
    assert years_list_label([2019, 2021, 2022]) == "2019, 2021\u20132022"
    assert years_list_label([2024]) == "2024"
    assert national_figure_change_sentence("Registered victims", []) == ""
    assert national_figure_change_sentence("Registered victims", [2024]) == (
        "This changes the national figure of Registered victims for 2024, a year with "
        "accepted returns."
    )


def _accept_years(reporting: Reporting, years: list[int]) -> None:
    for year in years:
        make_return(reporting, status=ReturnStatus.ACCEPTED, year=year)


def test_it_names_the_accepted_years_a_national_source_changes(
    reporting: Reporting, client_for: ClientFor
) -> None:
    _accept_years(reporting, [2021, 2022, 2023])
    url = reverse(
        "statistics:assignment_national_source",
        kwargs={"code": "registered_victims", "pk": _border().pk},
    )
    expected = (
        "This changes the national figure of Registered victims for 2021\u20132023, years "
        "with accepted returns."
    )
    client = client_for("coordinator")
    assert expected in client.get(url).content.decode()
    client.post(url, {"make": "1"})
    assert _border().is_national_source
    # Stopping it changes the same years back.
    assert expected in client.get(url).content.decode()


def test_it_says_no_accepted_year_changes_where_none_does(
    reporting: Reporting, client_for: ClientFor
) -> None:
    make_return(reporting, status=ReturnStatus.VALIDATED)
    url = reverse(
        "statistics:assignment_national_source",
        kwargs={"code": "registered_victims", "pk": _border().pk},
    )
    assert (
        "This changes the national figure"
        not in client_for("coordinator").get(url).content.decode()
    )


def test_it_confirms_ending_a_national_source_naming_the_years_it_changes(
    reporting: Reporting, client_for: ClientFor
) -> None:
    _accept_years(reporting, [2021, 2022, 2023, 2024])
    border = _border()
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=border, is_national_source=True
    )
    url = reverse(
        "statistics:assignment_end", kwargs={"code": "registered_victims", "pk": border.pk}
    )
    client = client_for("coordinator")
    confirm = client.post(url, {"to_year": 2021})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert (
        "This changes the national figure of Registered victims for 2022\u20132024, years "
        "with accepted returns."
    ) in page
    assert 'name="confirmed" value="True"' in page
    border.refresh_from_db()
    assert border.to_year is None
    done = client.post(url, {"to_year": 2021, "confirmed": "True"})
    assert done.status_code == 302
    border.refresh_from_db()
    assert border.to_year == 2021
    # Giving back a year it no longer covered changes that year again.
    again = client.post(url, {"to_year": 2022}).content.decode()
    assert "for 2022, a year with accepted returns." in again


def test_it_shows_a_refusal_after_confirming_on_the_form(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """A refusal the confirmation could not foresee is said on the form, not lost."""
    _accept_years(reporting, [2023, 2024])
    border = _border()
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=border, is_national_source=True
    )
    client = client_for("coordinator")
    url = reverse(
        "statistics:assignment_end", kwargs={"code": "registered_victims", "pk": border.pk}
    )
    client.post(url, {"to_year": 2022, "confirmed": "True"})
    # Another organisation is the national source from 2023: extending Border Agency's
    # years into them is refused.
    assignment_add(
        actor=reporting.coordinator,
        organisation=make_organisation(name="Police"),
        indicator=Indicator.objects.get(code="registered_victims"),
        from_year=2023,
        is_national_source=True,
    )
    refused = client.post(url, {"to_year": 2024, "confirmed": "True"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "is already the national source of this indicator" in page
    assert "govuk-error-summary" in page
    assert 'name="confirmed" value="True"' not in page
    border.refresh_from_db()
    assert border.to_year == 2022


def test_it_shows_the_one_years_label_of_each_assignment(
    reporting: Reporting, client_for: ClientFor
) -> None:
    border = _border()
    ReportingAssignment.objects.filter(pk=border.pk).update(to_year=2003)
    border.refresh_from_db()
    assert border.years_label == "2000\u20132003"
    office = ReportingAssignment.objects.get(
        organisation=reporting.organisation, indicator__code="registered_victims"
    )
    assert office.years_label == "from 2000"
    page = client_for("practitioner").get(_detail_url()).content.decode()
    assert f">{border.years_label}<" in page
    assert f">{office.years_label}<" in page


def test_it_counts_the_organisations_that_stop_being_asked(
    reporting: Reporting, client_for: ClientFor
) -> None:
    suspects = Indicator.objects.get(code="suspects")
    data = {
        "name": suspects.name,
        "definition": suspects.definition,
        "unit": suspects.unit,
        "dimensions": suspects.dimensions,
        "order": suspects.order,
    }
    url = reverse("statistics:indicator_edit", kwargs={"code": "suspects"})
    page = client_for("coordinator").post(url, data).content.decode()
    assert "The 2 organisations that report it now are no longer asked for it" in page
    assert "No organisation reports it now" not in page


# ---------------------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------------------


def test_it_audits_a_correction_of_the_source_alone(personas: Personas) -> None:
    population = population_record(
        actor=personas.coordinator, year=2024, figures=PopulationFigures(total=1000)
    )
    population_correct(
        actor=personas.coordinator,
        population=population,
        figures=PopulationFigures(total=1000, source="Census 2024"),
    )
    population.refresh_from_db()
    assert population.source == "Census 2024"
    event = AuditEvent.objects.get(action="statistics.population.correct")
    assert event.before == {"year": 2024, "source": ""}
    assert event.after == {"year": 2024, "source": "Census 2024"}


def test_it_records_nothing_for_a_correction_that_changes_nothing(personas: Personas) -> None:
    population = population_record(
        actor=personas.coordinator, year=2024, figures=PopulationFigures(total=1000)
    )
    population_correct(
        actor=personas.coordinator, population=population, figures=PopulationFigures(total=1000)
    )
    assert not AuditEvent.objects.filter(action="statistics.population.correct").exists()


def test_it_refuses_to_record_a_year_already_recorded(personas: Personas) -> None:
    """Recording never overwrites: a second keeper's figures for the same year are refused,
    whatever their form saw when it opened."""
    population_record(actor=personas.coordinator, year=2024, figures=PopulationFigures(total=1000))
    with pytest.raises(ValidationError) as error:
        population_record(
            actor=personas.secretariat, year=2024, figures=PopulationFigures(total=2000)
        )
    assert error.value.message_dict["year"] == [
        "The population of 2024 is already recorded; correct it from the list instead."
    ]
    assert Population.objects.get(year=2024).total == 1000
    assert AuditEvent.objects.filter(action="statistics.population.record").count() == 1


def test_it_refuses_a_population_beyond_its_range(
    personas: Personas, client_for: ClientFor
) -> None:
    too_many = POPULATION_MAX + 1
    response = client_for("coordinator").post(
        reverse("statistics:population_record"),
        {"year": 2024, "total": 3_000_000_000, "males": too_many},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Enter a figure of {POPULATION_MAX} or less." in page
    assert 'id="id_total-error"' in page and 'id="id_males-error"' in page
    assert not Population.objects.exists()
    with pytest.raises(ValidationError) as error:
        population_record(
            actor=personas.coordinator, year=2024, figures=PopulationFigures(total=too_many)
        )
    assert error.value.message_dict["total"] == [f"Enter a figure of {POPULATION_MAX} or less."]
    population = population_record(
        actor=personas.coordinator, year=2024, figures=PopulationFigures(total=1000)
    )
    with pytest.raises(ValidationError):
        population_correct(
            actor=personas.coordinator,
            population=population,
            figures=PopulationFigures(total=too_many),
        )
    assert Population.objects.get(year=2024).total == 1000


def test_the_correction_page_refuses_a_figure_beyond_its_range(
    personas: Personas, client_for: ClientFor
) -> None:
    population_record(actor=personas.coordinator, year=2024, figures=PopulationFigures(total=1000))
    url = reverse("statistics:population_correct", kwargs={"year": 2024})
    response = client_for("coordinator").post(url, {"total": 99_999_999_999})
    assert response.status_code == 200
    assert f"Enter a figure of {POPULATION_MAX} or less." in response.content.decode()
    assert Population.objects.get(year=2024).total == 1000


# ---------------------------------------------------------------------------------------
# Acting as Polku itself
# ---------------------------------------------------------------------------------------


def test_it_lets_no_missing_person_change_reference_data(reporting: Reporting) -> None:
    """Only a caller that says it is Polku itself acts as nobody."""
    with pytest.raises(PermissionDenied):
        population_record(actor=None, year=2024, figures=PopulationFigures(total=1000))
    with pytest.raises(PermissionDenied):
        indicator_create(actor=None, data={"code": "extra", "name": "E", "definition": "D"})
    with pytest.raises(PermissionDenied):
        assignment_set_national_source(actor=None, assignment=_border(), is_national_source=True)
    assert not Population.objects.exists()
    population_record(actor=None, system=True, year=2024, figures=PopulationFigures(total=1000))
    assert Population.objects.filter(year=2024).exists()


def test_the_demo_loader_acts_as_polku_itself(personas: Personas) -> None:
    created = demo_returns.load()
    assert created["population_years"] > 0
    assert AuditEvent.objects.filter(
        action="statistics.population.record", actor__isnull=True
    ).exists()
