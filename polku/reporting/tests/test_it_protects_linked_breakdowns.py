"""Age bands are protected jointly with the age groups, countries with the citizenship
groups, wherever protected tables are shown.

Each result is attacked afresh with the plain joint programme (every programme solved).
"""

import numpy as np
import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from polku.reporting import outputs
from polku.reporting.selectors import YearFigures
from polku.reporting.tables import (
    NOT_GIVEN,
    PRIMARY,
    PUBLISHED,
    SECONDARY,
    Breakdown,
    Table,
    protect_breakdown,
    protect_together,
)
from polku.statistics.choices_returns import AGE_BAND_CATEGORIES, Dimension
from polku.statistics.disclosure.attack import Status
from polku.statistics.disclosure.linked import LinkedPair, joint_table, relation
from polku.statistics.disclosure.tests.helpers import reference_linked_widths

YEAR = 2024
AGE, BAND = Dimension.AGE_GROUP.value, Dimension.AGE_BAND.value
CITIZENSHIP, COUNTRY = Dimension.CITIZENSHIP.value, Dimension.COUNTRY.value
SLACK = 1e-6


def breakdown(dimension: str, counts: dict[str, int], total: int | None = None) -> Breakdown:
    return Breakdown.build(
        year=YEAR,
        indicator="registered_victims",
        dimension=dimension,
        total=sum(counts.values()) if total is None else total,
        counts=list(counts.items()),
    )


def total_of(counts: dict[str, int]) -> Breakdown:
    return breakdown("", {}, total=sum(counts.values()))


def statuses(table: Table) -> np.ndarray:
    return np.array([Status[cell.status.upper()] for cell in table.cells], dtype=np.int8)


def exposed(
    coarse: Breakdown, coarse_table: Table, fine: Breakdown, fine_table: Table
) -> list[str]:
    """Withheld cells of either table narrower than required when both are attacked
    together, under each relation an attacker may assume that the published cells agree
    with: the strict one (unknown is unknown on both sides) and the loose one, whichever
    the figures keep. Under a relation the figures break, a cell already that narrow with
    every fine cell withheld is left out: no withholding can widen it."""
    link = {AGE: outputs.age_groups(), CITIZENSHIP: outputs.citizenship_groups(YEAR, country="FI")}
    groups = link[coarse.dimension]
    coarse_status, fine_status = statuses(coarse_table), statuses(fine_table)
    every_fine = fine_status.copy()
    every_fine[:-1][every_fine[:-1] == Status.PUBLISHED] = Status.SECONDARY
    kept = None
    found: set[str] = set()
    for open_categories in ({NOT_GIVEN}, {NOT_GIVEN, "unknown"}):
        allowed = relation(
            coarse.categories, fine.categories, groups, open_categories=open_categories
        )
        pair = LinkedPair(np.array(coarse.counts), np.array(fine.counts), allowed)
        true = kept is None and joint_table(pair) is not None
        if true:
            kept = pair
        if not published_agrees(pair, coarse_status, fine_status):
            assert not true
            continue
        narrow = short(pair, coarse_table, coarse_status, fine_table, fine_status)
        if not true:
            narrow -= short(pair, coarse_table, coarse_status, fine_table, every_fine)
        found |= narrow
    assert kept is not None
    return sorted(found)


def short(
    pair: LinkedPair,
    coarse_table: Table,
    coarse_status: np.ndarray,
    fine_table: Table,
    fine_status: np.ndarray,
) -> set[str]:
    found = set()
    widths = reference_linked_widths(pair, coarse_status, fine_status)
    tables = ((coarse_table, coarse_status), (fine_table, fine_status))
    for (table, status), width in zip(tables, widths, strict=True):
        for cell, cell_status, cell_width in zip(table.cells, status, width, strict=True):
            needed = {Status.PRIMARY: table.threshold, Status.SECONDARY: 1}.get(
                Status(int(cell_status)), 0
            )
            if cell_width < needed - SLACK:
                found.add(f"{table.dimension}:{cell.category}")
    return found


def published_agrees(pair: LinkedPair, coarse_status: np.ndarray, fine_status: np.ndarray) -> bool:
    """Whether a joint table keeping the pair's relation has every published cell."""
    rows, columns = np.nonzero(pair.allowed)
    n_coarse, n_fine = pair.allowed.shape
    coarse_sums = np.zeros((n_coarse + 1, rows.size))
    coarse_sums[rows, np.arange(rows.size)] = 1.0
    coarse_sums[n_coarse] = 1.0
    fine_sums = np.zeros((n_fine + 1, rows.size))
    fine_sums[columns, np.arange(rows.size)] = 1.0
    fine_sums[n_fine] = 1.0
    coarse_shown = coarse_status == Status.PUBLISHED
    fine_shown = fine_status == Status.PUBLISHED
    result = linprog(
        np.zeros(rows.size),
        A_eq=np.vstack([coarse_sums[coarse_shown], fine_sums[fine_shown]]),
        b_eq=np.concatenate(
            [
                np.append(pair.coarse, pair.total)[coarse_shown],
                np.append(pair.fine, pair.total)[fine_shown],
            ]
        ),
        bounds=(0, None),
        method="highs",
    )
    return bool(result.status == 0)


AGE_GROUPS = {"child": 15, "adult": 80, "unknown": 14}
AGE_BANDS = {
    "0_11": 0,
    "12_17": 15,
    "18_24": 20,
    "25_34": 16,
    "35_44": 24,
    "45_54": 20,
    "55_plus": 0,
    "unknown": 14,
}


def test_it_keeps_the_age_bands_from_giving_away_a_child_band() -> None:
    """The age groups are all shown; the bands withhold 0_11 (nobody) and 55_plus, with
    the unknown band to hide them. The children less the 12 to 17-year-olds are then the
    0 to 11-year-olds: zero. Protected jointly, another child band is withheld."""
    ages, bands = breakdown(AGE, AGE_GROUPS), breakdown(BAND, AGE_BANDS)
    alone = protect_together([total_of(AGE_GROUPS), ages, bands], threshold=10)
    assert [cell.status for cell in alone[1].cells] == [PUBLISHED] * 4
    assert "age_band:0_11" in exposed(ages, alone[1], bands, alone[2])

    together = protect_together(
        [total_of(AGE_GROUPS), ages, bands], threshold=10, links=outputs.links(YEAR)
    )
    assert together[0] == alone[0]
    assert together[1] == alone[1], "the age groups keep their own pattern"
    assert exposed(ages, together[1], bands, together[2]) == []
    by_band = {cell.category: cell for cell in together[2].categories}
    assert by_band["12_17"].status == SECONDARY
    assert by_band["0_11"].status == PRIMARY


CITIZENS = {"national": 4, "other_eu": 30, "non_eu": 50, "unknown": 15}
COUNTRIES = {"CN": 38, "EE": 15, "FI": 4, "NG": 12, "SE": 15, "unknown": 15}


def test_it_keeps_the_countries_from_giving_away_the_nationals() -> None:
    """Four nationals, withheld with the citizenship not known; the countries withhold
    Finland and Nigeria, which the non-EU total gives away, and with the other-EU total
    shown the nationals are worked back. Protected jointly, Nigeria is shown and the
    unknown country withheld."""
    citizens, countries = breakdown(CITIZENSHIP, CITIZENS), breakdown(COUNTRY, COUNTRIES)
    alone = protect_together([citizens, countries], threshold=10)
    assert {"citizenship:national", "country:FI"} <= set(
        exposed(citizens, alone[0], countries, alone[1])
    )

    together = protect_together([citizens, countries], threshold=10, links=outputs.links(YEAR))
    assert together[0] == alone[0]
    assert exposed(citizens, together[0], countries, together[1]) == []
    shown = {cell.category: cell.status for cell in together[1].categories}
    assert shown == {
        "CN": PUBLISHED,
        "EE": PUBLISHED,
        "FI": PRIMARY,
        "NG": PUBLISHED,
        "SE": PUBLISHED,
        "unknown": SECONDARY,
    }


def test_every_page_gets_the_jointly_protected_tables() -> None:
    """The national tables page, the templates, the downloads and the annual report all
    protect through protect_year."""
    figures = YearFigures(
        YEAR,
        "registered_victims",
        {
            "": total_of(AGE_GROUPS),
            AGE: breakdown(AGE, AGE_GROUPS),
            BAND: breakdown(BAND, AGE_BANDS),
        },
        organisations=1,
    )
    protected = outputs.protect_year(figures, threshold=10)
    expected = protect_together(
        list(figures.breakdowns.values()), threshold=10, links=outputs.links(YEAR)
    )
    assert list(protected.values()) == expected
    assert protected[BAND] != protect_breakdown(figures.breakdowns[BAND], threshold=10)


def test_it_withholds_every_cell_alike_when_the_total_is_small() -> None:
    ages = {"child": 2, "adult": 5, "unknown": 0}
    bands = dict.fromkeys(AGE_BAND_CATEGORIES, 0) | {"12_17": 2, "25_34": 5}
    tables = protect_together(
        [total_of(ages), breakdown(AGE, ages), breakdown(BAND, bands)],
        threshold=10,
        links=outputs.links(YEAR),
    )
    assert all(cell.status == PRIMARY for table in tables for cell in table.cells)


def test_it_withholds_every_country_when_the_figures_break_the_groups() -> None:
    """Twenty Estonians in the countries but eight citizens of other EU countries, and
    nothing left unbroken down: the figures cannot both be right, and no relation can be
    assumed."""
    citizens = {"national": 40, "other_eu": 8, "non_eu": 30, "unknown": 0}
    countries = {"EE": 20, "FI": 40, "NG": 18}
    tables = protect_together(
        [breakdown(CITIZENSHIP, citizens), breakdown(COUNTRY, countries)],
        threshold=10,
        links=outputs.links(YEAR),
    )
    assert [cell.status for cell in tables[1].categories] == [SECONDARY] * 3
    assert tables[1].total.status == PUBLISHED


def test_it_refuses_a_breakdown_in_two_links() -> None:
    ages, bands = breakdown(AGE, AGE_GROUPS), breakdown(BAND, AGE_BANDS)
    link = outputs.links(YEAR)[0]
    with pytest.raises(ValueError, match="one other breakdown"):
        protect_together([ages, bands], threshold=10, links=[link, link])


def test_it_places_each_country_in_its_citizenship_group_for_the_year() -> None:
    groups = outputs.citizenship_groups(2024, country="FI")
    assert groups["FI"] == {"national"}
    assert groups["EE"] == {"other_eu"}
    assert groups["NG"] == {"non_eu"}
    assert groups["unknown"] == {"unknown"}
    assert outputs.citizenship_groups(2019, country="FI")["GB"] == {"other_eu"}
    assert outputs.citizenship_groups(2020, country="FI")["GB"] == {"other_eu", "non_eu"}
    assert outputs.citizenship_groups(2021, country="FI")["GB"] == {"non_eu"}
    assert outputs.citizenship_groups(2013, country="FI")["HR"] == {"other_eu", "non_eu"}
    assert outputs.citizenship_groups(2012, country="FI")["HR"] == {"non_eu"}
    assert outputs.citizenship_groups(2024, country="SE")["FI"] == {"other_eu"}


@override_settings(POLKU_NATIONAL_COUNTRY="SE")
def test_it_takes_the_national_country_from_the_setting() -> None:
    link = outputs.links(YEAR)[1]
    assert link.groups["SE"] == {"national"}
    assert link.groups["FI"] == {"other_eu"}


def test_it_places_each_age_band_in_its_age_group() -> None:
    groups = outputs.age_groups()
    assert groups["0_11"] == groups["12_17"] == {"child"}
    assert all(groups[band] == {"adult"} for band in ("18_24", "25_34", "35_44", "55_plus"))
    assert groups["unknown"] == {"unknown"}


@st.composite
def age_breakdowns(draw: st.DrawFn) -> tuple[Breakdown, Breakdown, Breakdown]:
    """Age groups and bands of one set of people, many of them in small cells; some
    organisations give no bands (not given), and some adults and children have no known
    band (the figures then break the strict relation, which what is shown may allow)."""
    generator = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    share_small = draw(st.sampled_from([0.2, 0.5, 0.8]))
    bands = list(AGE_BAND_CATEGORIES)
    group_of = {band: next(iter(group)) for band, group in outputs.age_groups().items()}
    people = {
        band: int(
            generator.integers(0, 10)
            if generator.random() < share_small
            else generator.integers(10, 40)
        )
        for band in bands
    }
    not_given = {group: int(generator.integers(0, 15)) for group in ("child", "adult")}
    if not draw(st.booleans()):
        not_given = {"child": 0, "adult": 0}
    adults_without_band = int(generator.integers(0, 4)) if draw(st.booleans()) else 0
    children_without_band = int(generator.integers(0, 3)) if draw(st.booleans()) else 0
    groups = {"child": 0, "adult": 0, "unknown": 0}
    for band, count in people.items():
        groups[group_of[band]] += count
    for group, count in not_given.items():
        groups[group] += count
    groups["adult"] += adults_without_band
    groups["child"] += children_without_band
    band_counts = dict(people)
    band_counts["unknown"] += adults_without_band + children_without_band
    total = sum(groups.values())
    return (
        breakdown("", {}, total=total),
        breakdown(AGE, groups),
        breakdown(BAND, band_counts, total=total),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(age_breakdowns())
def test_it_leaves_nothing_exposed_between_age_groups_and_bands(
    case: tuple[Breakdown, Breakdown, Breakdown],
) -> None:
    total, ages, bands = case
    tables = protect_together([total, ages, bands], threshold=10, links=outputs.links(YEAR))
    assert tables[1] == protect_together([total, ages, bands], threshold=10)[1]
    if tables[0].total.status != PUBLISHED:
        assert all(cell.status != PUBLISHED for table in tables for cell in table.cells)
        return
    assert exposed(ages, tables[1], bands, tables[2]) == []


def test_it_lists_the_national_and_the_unknown_country_even_at_zero() -> None:
    """No nationals and nobody of unknown citizenship, and neither Finland nor an unknown
    country counted. Left out of the country table, they would show both groups to be
    zero; listed at zero, they are withheld like any small cell and the two groups stay
    hidden under every relation."""
    citizens = {"national": 0, "other_eu": 30, "non_eu": 50, "unknown": 0}
    countries = {"CN": 38, "EE": 15, "NG": 12, "SE": 15}
    figures = YearFigures(
        YEAR,
        "registered_victims",
        {
            "": total_of(citizens),
            CITIZENSHIP: breakdown(CITIZENSHIP, citizens),
            COUNTRY: breakdown(COUNTRY, countries),
        },
        organisations=1,
    )
    listed = outputs.linked_breakdowns(figures)
    assert listed[COUNTRY].categories == ("CN", "EE", "FI", "NG", "SE", "unknown")
    assert listed[COUNTRY].counts == (38, 15, 0, 12, 15, 0)
    assert listed[CITIZENSHIP] == figures.breakdowns[CITIZENSHIP]
    tables = outputs.protect_year(figures, threshold=10)
    by_country = {cell.category: cell.status for cell in tables[COUNTRY].categories}
    assert by_country["FI"] == by_country["unknown"] == PRIMARY
    assert [
        cell.category
        for cell in outputs.unprotected_year(figures, threshold=10)[COUNTRY].categories
    ] == list(listed[COUNTRY].categories)
    assert exposed(listed[CITIZENSHIP], tables[CITIZENSHIP], listed[COUNTRY], tables[COUNTRY]) == []


def test_it_lists_no_country_without_the_citizenship_breakdown() -> None:
    countries = {"EE": 15, "SE": 15}
    figures = YearFigures(
        YEAR, "registered_victims", {COUNTRY: breakdown(COUNTRY, countries)}, organisations=1
    )
    assert outputs.linked_breakdowns(figures)[COUNTRY].categories == ("EE", "SE")


def test_it_lists_no_country_when_some_countries_are_not_given() -> None:
    """The part not broken down by country may hold nationals and people of unknown
    citizenship, so neither group can be seen to be empty."""
    citizens = {"national": 0, "other_eu": 30, "non_eu": 50, "unknown": 12}
    countries = {"CN": 38, "EE": 15, "NG": 12, "SE": 15}
    figures = YearFigures(
        YEAR,
        "registered_victims",
        {
            CITIZENSHIP: breakdown(CITIZENSHIP, citizens),
            COUNTRY: breakdown(COUNTRY, countries, total=92),
        },
        organisations=1,
    )
    listed = outputs.linked_breakdowns(figures)
    assert listed == figures.breakdowns
    assert listed[COUNTRY].categories == ("CN", "EE", "NG", "SE", NOT_GIVEN)
    tables = outputs.protect_year(figures, threshold=10)
    assert exposed(listed[CITIZENSHIP], tables[CITIZENSHIP], listed[COUNTRY], tables[COUNTRY]) == []
