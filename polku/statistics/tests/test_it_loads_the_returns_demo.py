"""The demo holds five years of returns from the main authorities, loaded through the services."""

import pytest

from polku.actors import demo as actors_demo
from polku.statistics import demo_returns
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Population, Return
from polku.statistics.selectors_returns import national_figures, year_coverage
from polku.statistics.services.returns import submission_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> dict[str, int]:
    actors_demo.load()
    return demo_returns.load()


def test_it_loads_five_years_from_six_authorities(loaded: dict[str, int]) -> None:
    """Six authorities report 2021 to 2025: 30 returns, mostly accepted."""
    assert loaded["returns"] == 30
    assert set(Return.objects.values_list("year", flat=True)) == set(range(2021, 2026))
    assert Return.objects.filter(year__lt=2025).exclude(status=ReturnStatus.ACCEPTED).count() == 0
    assert Return.objects.filter(status=ReturnStatus.ACCEPTED).count() == 26


def test_it_leaves_the_latest_year_in_every_state(loaded: dict[str, int]) -> None:
    """2025 has a draft, a submitted, a validated and a returned return, besides accepted ones."""
    statuses = sorted(Return.objects.filter(year=2025).values_list("status", flat=True))
    assert statuses == sorted(
        [
            ReturnStatus.DRAFT,
            ReturnStatus.SUBMITTED,
            ReturnStatus.RETURNED,
            ReturnStatus.VALIDATED,
            ReturnStatus.ACCEPTED,
            ReturnStatus.ACCEPTED,
        ]
    )
    returned = Return.objects.get(year=2025, status=ReturnStatus.RETURNED)
    assert returned.comments
    assert returned.revisions.count() == 1
    draft = Return.objects.get(year=2025, status=ReturnStatus.DRAFT)
    assert submission_problems(statistics_return=draft), "the draft is left incomplete"


def test_it_sums_the_assistance_system_as_published(loaded: dict[str, int]) -> None:
    """The assistance system's admissions match its published yearly totals."""
    figures = national_figures(years=[2021, 2022, 2023], indicator_codes=["assistance_admitted"])
    totals = {figure.year: figure.value for figure in figures if not figure.dimension}
    assert totals == {2021: 243, 2022: 367, 2023: 326}
    by_sex = sum(
        figure.value for figure in figures if figure.year == 2022 and figure.dimension == "sex"
    )
    assert by_sex == 367


def test_it_loads_the_population_and_covers_every_reporter(loaded: dict[str, int]) -> None:
    """Population 2015 to 2024 is there for rates, and 2024 is accepted from everyone."""
    assert Population.objects.get(year=2022).total == 5563970
    assert Population.objects.count() == 10
    coverage = year_coverage(year=2024)
    assert len(coverage) == 6
    assert all(item.accepted for item in coverage)


def test_it_adds_nothing_the_second_time(loaded: dict[str, int]) -> None:
    """Loading again creates nothing."""
    again = demo_returns.load()
    assert again == {"population_years": 0, "assignments": 0, "validators": 0, "returns": 0}


def test_it_splits_totals_into_whole_numbers_that_add_up() -> None:
    """Shares become whole numbers adding up to the total."""
    parts = demo_returns.split(207, {"female": 0.61, "male": 0.38, "unknown": 0.01})
    assert sum(parts.values()) == 207
    assert parts["female"] == 126
