"""A coarse table and a finer breakdown of it, attacked and protected jointly.

The checks attack each result afresh with the plain joint programme of the test helpers
(every programme solved, nothing handed over from the protection).
"""

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from polku.statistics.disclosure.attack import Status, StatusArray
from polku.statistics.disclosure.linked import (
    LinkedModel,
    LinkedPair,
    attack_pair,
    fixed_cells,
    joint_table,
    last_resort,
    protect_pair,
    relation,
)
from polku.statistics.disclosure.protect import protect
from polku.statistics.disclosure.table import FrequencyTable
from polku.statistics.disclosure.tests.helpers import reference_linked_widths

P, S, SHOWN = Status.PRIMARY, Status.SECONDARY, Status.PUBLISHED
SLACK = 1e-6

AGES = ["child", "adult", "unknown"]
BANDS = ["0_11", "12_17", "18_34", "35_plus", "unknown", "not_given"]
AGE_GROUPS = {
    "0_11": {"child"},
    "12_17": {"child"},
    "18_34": {"adult"},
    "35_plus": {"adult"},
    "unknown": {"unknown"},
}
CITIZENSHIP = ["national", "other_eu", "non_eu", "unknown"]
COUNTRIES = ["FI", "EE", "SE", "NG", "CN", "unknown"]
CITIZENSHIP_GROUPS = {
    "FI": {"national"},
    "EE": {"other_eu"},
    "SE": {"other_eu"},
    "NG": {"non_eu"},
    "CN": {"non_eu"},
    "unknown": {"unknown"},
}


def own_pattern(counts: list[int], threshold: int = 10) -> StatusArray:
    """The table's pattern protected on its own, total last."""
    return protect(FrequencyTable.from_array(np.array(counts)), threshold=threshold).status


def short(
    pair: LinkedPair, coarse: StatusArray, fine: StatusArray, threshold: int
) -> tuple[list[int], list[int]]:
    """Withheld cells narrower than required under the plain joint attack."""
    found = []
    for status, width in zip(
        (coarse, fine), reference_linked_widths(pair, coarse, fine), strict=True
    ):
        narrow = ((status == P) & (width < threshold - SLACK)) | (
            (status == S) & (width < 1 - SLACK)
        )
        found.append(np.flatnonzero(narrow).tolist())
    return found[0], found[1]


def test_it_lets_a_fine_category_join_its_groups_and_not_given_join_every_group() -> None:
    allowed = relation(
        ["child", "adult", "not_given"],
        ["0_11", "18_34", "unknown", "not_given"],
        {"0_11": {"child"}, "18_34": {"adult"}, "unknown": {"child", "adult"}},
        open_categories={"not_given"},
    )
    assert allowed.tolist() == [
        [True, False, True, True],
        [False, True, True, True],
        [True, True, True, True],
    ]


def test_it_lets_a_category_it_cannot_place_join_every_group() -> None:
    allowed = relation(["a", "b"], ["x", "y"], {"x": {"a"}})
    assert allowed[:, 1].all()
    assert allowed[:, 0].tolist() == [True, False]


def test_it_finds_a_joint_table_only_when_the_counts_keep_the_relation() -> None:
    allowed = relation(AGES, BANDS[:5], AGE_GROUPS)
    kept = LinkedPair(np.array([7, 25, 11]), np.array([3, 4, 12, 13, 11]), allowed)
    joint = joint_table(kept)
    assert joint is not None
    assert joint.sum(axis=1).tolist() == [7, 25, 11]
    assert joint.sum(axis=0).tolist() == [3, 4, 12, 13, 11]
    assert not joint[~allowed].any()
    # Eight children in the bands but seven in the age groups, nothing left unbroken down.
    broken = LinkedPair(np.array([7, 24, 11]), np.array([4, 4, 12, 12, 11]), allowed)
    assert joint_table(broken) is None
    assert joint_table(LinkedPair(np.array([7, 25]), np.array([3, 4, 12]), allowed[:2, :3])) is (
        None
    )


def test_it_works_the_children_back_from_the_adult_bands_until_more_bands_are_withheld() -> None:
    """The age groups withhold the 7 children and, to hide them, the adults; the bands
    withhold the child bands and, to hide those, the unknown band, showing every adult
    band. Together they leave the children between 0 and 7."""
    coarse, fine = [7, 25, 40], [3, 4, 12, 13, 11, 29]
    allowed = relation(AGES, BANDS, AGE_GROUPS, open_categories={"not_given"})
    pair = LinkedPair(np.array(coarse), np.array(fine), allowed)
    coarse_own, fine_own = own_pattern(coarse), own_pattern(fine)
    assert coarse_own.tolist() == [P, S, SHOWN, SHOWN]
    assert fine_own.tolist() == [P, P, SHOWN, SHOWN, S, SHOWN, SHOWN]
    low, high, _, _ = attack_pair(pair, coarse_own, fine_own)
    assert (low[0], high[0]) == pytest.approx((0, 7))
    assert short(pair, coarse_own, fine_own, 10)[0] == [0]

    result = protect_pair(
        coarse,
        fine,
        relations=[allowed],
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=10,
    )
    assert result.coarse.tolist() == coarse_own.tolist()
    assert result.added >= 1
    assert short(pair, result.coarse, result.fine, 10) == ([], [])
    low, high, _, _ = attack_pair(pair, result.coarse, result.fine)
    assert high[0] - low[0] >= 10


def test_it_works_the_nationals_back_from_the_countries_until_one_more_is_withheld() -> None:
    """Four nationals, withheld with the citizenship not known; the countries withhold
    Finland and, to hide it, Nigeria, which the non-EU total gives away. Nigeria is shown,
    and the unknown country withheld instead."""
    coarse, fine = [4, 30, 50, 15], [4, 15, 15, 12, 38, 15]
    allowed = relation(CITIZENSHIP, COUNTRIES, CITIZENSHIP_GROUPS)
    pair = LinkedPair(np.array(coarse), np.array(fine), allowed)
    coarse_own, fine_own = own_pattern(coarse), own_pattern(fine)
    assert coarse_own.tolist() == [P, SHOWN, SHOWN, S, SHOWN]
    assert fine_own.tolist() == [P, SHOWN, SHOWN, S, SHOWN, SHOWN, SHOWN]
    low, high, fine_low, fine_high = attack_pair(pair, coarse_own, fine_own)
    assert low[0] == high[0] == 4
    assert fine_low[0] == fine_high[0] == 4
    assert short(pair, coarse_own, fine_own, 10) == ([0, 3], [0, 3])

    result = protect_pair(
        coarse,
        fine,
        relations=[allowed],
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=10,
    )
    assert result.coarse.tolist() == coarse_own.tolist()
    assert result.fine.tolist() == [P, SHOWN, SHOWN, SHOWN, SHOWN, S, SHOWN]
    assert (result.added, result.shown) == (1, 1)
    assert short(pair, result.coarse, result.fine, 10) == ([], [])


def test_it_shows_a_fine_cell_the_coarse_table_gives_away() -> None:
    """Group A has one fine category, so its count is A's. Withheld to hide b1, it hides
    nothing; it is shown, and b2 withheld instead."""
    coarse, fine = [30, 44], [30, 4, 40]
    allowed = relation(["A", "B"], ["a1", "b1", "b2"], {"a1": {"A"}, "b1": {"B"}, "b2": {"B"}})
    pair = LinkedPair(np.array(coarse), np.array(fine), allowed)
    fine_own = own_pattern(fine)
    assert fine_own.tolist() == [S, P, SHOWN, SHOWN]
    result = protect_pair(
        coarse,
        fine,
        relations=[allowed],
        coarse_status=own_pattern(coarse),
        fine_status=fine_own,
        threshold=10,
    )
    assert result.fine.tolist() == [SHOWN, P, S, SHOWN]
    assert (result.added, result.shown) == (1, 1)
    assert short(pair, result.coarse, result.fine, 10) == ([], [])


def test_it_leaves_a_pair_that_gives_nothing_away_as_it_is() -> None:
    coarse, fine = [7, 25, 40], [3, 4, 12, 13, 40]
    allowed = relation(AGES, BANDS[:5], AGE_GROUPS)
    coarse_own, fine_own = own_pattern(coarse), own_pattern(fine)
    result = protect_pair(
        coarse,
        fine,
        relations=[allowed],
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=10,
    )
    assert result.fine.tolist() == fine_own.tolist()
    assert (result.added, result.shown, result.relation) == (0, 0, 0)


def test_it_assumes_the_strictest_relation_the_counts_keep() -> None:
    """Two adults of unknown band: the unknown band is not all in the unknown age group,
    so the attacker can only assume that known bands are in their group."""
    strict = relation(AGES, BANDS[:5], AGE_GROUPS)
    loose = relation(AGES, BANDS[:5], AGE_GROUPS, open_categories={"unknown"})
    coarse, fine = [12, 52, 11], [5, 7, 20, 30, 13]
    result = protect_pair(
        coarse,
        fine,
        relations=[strict, loose],
        coarse_status=own_pattern(coarse),
        fine_status=own_pattern(fine),
        threshold=10,
    )
    assert result.relation == 1
    pair = LinkedPair(np.array(coarse), np.array(fine), loose)
    assert short(pair, result.coarse, result.fine, 10) == ([], [])


def test_it_withholds_every_fine_cell_when_the_counts_break_every_relation() -> None:
    allowed = relation(AGES, BANDS[:5], AGE_GROUPS)
    fine_own = own_pattern([9, 4, 12, 12, 11])
    result = protect_pair(
        [7, 28, 11],
        [9, 4, 12, 12, 11],
        relations=[allowed],
        coarse_status=own_pattern([7, 28, 11]),
        fine_status=fine_own,
        threshold=10,
    )
    assert result.relation is None
    assert (result.fine[:-1] != SHOWN).all() and result.fine[-1] == SHOWN
    assert (result.fine[fine_own == P] == P).all()


def test_it_leaves_a_pair_with_a_withheld_total_as_it_is() -> None:
    allowed = relation(AGES, BANDS[:5], AGE_GROUPS)
    coarse_status = np.array([P, P, P, P], dtype=np.int8)
    fine_status = np.array([P, P, P, P, P, P], dtype=np.int8)
    result = protect_pair(
        [2, 3, 1],
        [1, 1, 2, 1, 1],
        relations=[allowed],
        coarse_status=coarse_status,
        fine_status=fine_status,
        threshold=10,
    )
    assert result.coarse.tolist() == coarse_status.tolist()
    assert result.fine.tolist() == fine_status.tolist()


def test_it_needs_no_width_for_a_group_no_listed_country_can_join() -> None:
    """Nobody of unknown citizenship, and no unknown country listed: the countries show
    that the unknown group is empty whatever is withheld. The other-EU cell, withheld to
    hide it, is then pinned too; the coarse table keeps its own pattern, and the joint
    protection asks neither for a width."""
    coarse, fine = [30, 12, 50, 0], [30, 6, 6, 20, 30]
    allowed = relation(CITIZENSHIP, COUNTRIES[:5], CITIZENSHIP_GROUPS)
    pair = LinkedPair(np.array(coarse), np.array(fine), allowed)
    assert pair.coarse_alone.tolist() == [False, False, False, True]
    coarse_own, fine_own = own_pattern(coarse), own_pattern(fine)
    assert coarse_own.tolist() == [SHOWN, S, SHOWN, P, SHOWN]
    model = LinkedModel(pair, joint_table(pair))  # type: ignore[arg-type]
    fixed_coarse, _ = fixed_cells(model, coarse_own, fine_own)
    assert fixed_coarse.tolist() == [False, True, False, True, False]
    result = protect_pair(
        coarse,
        fine,
        relations=[allowed],
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=10,
    )
    assert result.coarse.tolist() == coarse_own.tolist()
    coarse_short, fine_short = short(pair, result.coarse, result.fine, 10)
    assert coarse_short == [1, 3]
    assert fine_short == []


def test_it_refuses_statuses_that_disagree_on_the_total() -> None:
    allowed = relation(AGES, BANDS[:5], AGE_GROUPS)
    pair = LinkedPair(np.array([7, 25, 11]), np.array([3, 4, 12, 13, 11]), allowed)
    model = LinkedModel(pair, joint_table(pair))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="total"):
        model.margined(np.array([P, S, SHOWN, SHOWN]), np.array([P, P, SHOWN, SHOWN, S, P]))


@st.composite
def linked_pairs(draw: st.DrawFn) -> tuple[LinkedPair, int]:
    """2 or 3 coarse categories of 1 to 6 fine categories each, a not-given category on
    either side or both, counts with a random share below the threshold."""
    threshold = draw(st.sampled_from([3, 10]))
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=3))
    share_small = draw(st.sampled_from([0.0, 0.3, 0.6, 0.9]))
    fine_not_given = draw(st.booleans())
    coarse_not_given = draw(st.booleans())
    generator = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    group = np.repeat(np.arange(len(sizes)), sizes)
    counts = np.where(
        generator.random(group.size) < share_small,
        generator.integers(0, threshold, group.size),
        generator.integers(threshold, 4 * threshold, group.size),
    )
    joint = np.zeros((len(sizes), group.size), dtype=np.int64)
    joint[group, np.arange(group.size)] = counts
    allowed = joint > -1
    allowed[:] = False
    allowed[group, np.arange(group.size)] = True
    if fine_not_given:
        column = generator.integers(0, 2 * threshold, len(sizes))
        joint = np.column_stack([joint, column * (generator.random(len(sizes)) < 0.6)])
        allowed = np.column_stack([allowed, np.ones(len(sizes), dtype=np.bool_)])
    if coarse_not_given:
        row = generator.integers(0, 2 * threshold, joint.shape[1])
        joint = np.vstack([joint, row * (generator.random(joint.shape[1]) < 0.5)])
        allowed = np.vstack([allowed, np.ones(joint.shape[1], dtype=np.bool_)])
    return LinkedPair(joint.sum(axis=1), joint.sum(axis=0), allowed), threshold


def protected(pair: LinkedPair, threshold: int) -> tuple[StatusArray, StatusArray, int]:
    coarse_own = own_pattern(pair.coarse.tolist(), threshold)
    fine_own = own_pattern(pair.fine.tolist(), threshold)
    # The tables of one indicator and year keep their total published or withhold it
    # together (polku.reporting.tables.protect_together); a table alone can hide it.
    assume(coarse_own[-1] == fine_own[-1] == SHOWN)
    result = protect_pair(
        pair.coarse,
        pair.fine,
        relations=[pair.allowed],
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=threshold,
    )
    assert result.coarse.tolist() == coarse_own.tolist(), "the coarse table keeps its pattern"
    assert (result.fine[fine_own == P] == P).all()
    return result.coarse, result.fine, result.added


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_pairs())
def test_it_leaves_no_cell_of_a_linked_pair_exposed(case: tuple[LinkedPair, int]) -> None:
    pair, threshold = case
    coarse, fine, _added = protected(pair, threshold)
    assert short(pair, coarse, fine, threshold) == ([], [])


@st.composite
def any_relation(draw: st.DrawFn) -> tuple[LinkedPair, int]:
    """Any relation at all, categories that nothing can join included, and a joint table
    that keeps it."""
    threshold = draw(st.sampled_from([3, 10]))
    n_coarse = draw(st.integers(2, 4))
    n_fine = draw(st.integers(1, 6))
    generator = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    allowed = generator.random((n_coarse, n_fine)) < draw(st.sampled_from([0.2, 0.4, 0.7]))
    small = generator.random((n_coarse, n_fine)) < draw(st.sampled_from([0.0, 0.3, 0.7]))
    counts = np.where(
        small,
        generator.integers(0, threshold, (n_coarse, n_fine)),
        generator.integers(threshold, 3 * threshold, (n_coarse, n_fine)),
    )
    joint: npt.NDArray[np.int64] = np.where(allowed, counts, 0)
    return LinkedPair(joint.sum(axis=1), joint.sum(axis=0), allowed), threshold


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_relation())
def test_it_is_always_safe_to_withhold_every_fine_cell(case: tuple[LinkedPair, int]) -> None:
    """The last resort: with every fine cell withheld, but those the coarse table fixes,
    only cells that no withholding can widen are narrow: categories that nothing can join
    (zero, and seen to be so from the categories listed) and coarse cells withheld to
    hide them; no small fine cell is fixed."""
    pair, threshold = case
    coarse_own = own_pattern(pair.coarse.tolist(), threshold)
    fine_own = own_pattern(pair.fine.tolist(), threshold)
    assume(coarse_own[-1] == fine_own[-1] == SHOWN)
    model = LinkedModel(pair, joint_table(pair))  # type: ignore[arg-type]
    fixed_coarse, fixed_fine = fixed_cells(model, coarse_own, fine_own)
    fine = last_resort(fine_own, fixed_fine)
    coarse_short, fine_short = short(pair, coarse_own, fine, threshold)
    alone_fine = np.append(pair.fine_alone, False)
    assert set(fine_short) <= set(np.flatnonzero(alone_fine))
    for index in coarse_short:
        assert fixed_coarse[index]
        if coarse_own[index] == P:
            assert pair.coarse_alone[index] and pair.coarse[index] == 0
    small_fixed = np.flatnonzero(fixed_coarse & (coarse_own == P))
    assert pair.coarse_alone[small_fixed].all()
    fine_fixed_small = fixed_fine[:-1] & (fine_own[:-1] == P) & ~pair.fine_alone
    assert not fine_fixed_small.any()
    if not pair.coarse_alone.any() and not pair.fine_alone.any():
        assert (coarse_short, fine_short) == ([], [])
