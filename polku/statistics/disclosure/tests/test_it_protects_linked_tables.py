"""A coarse table and a finer breakdown of it, attacked and protected jointly.

The checks attack each result afresh with the plain joint programme of the test helpers
(every programme solved, nothing handed over from the protection).
"""

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

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
from polku.statistics.disclosure.table import BoolArray, FrequencyTable, IntArray
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


def published_agrees(pair: LinkedPair, coarse: StatusArray, fine: StatusArray) -> bool:
    """Whether some joint table that keeps the pair's relation has every published cell
    of either table: the plain feasibility programme."""
    rows, columns = np.nonzero(pair.allowed)
    n_coarse, n_fine = pair.allowed.shape
    coarse_sums = np.zeros((n_coarse + 1, rows.size))
    coarse_sums[rows, np.arange(rows.size)] = 1.0
    coarse_sums[n_coarse] = 1.0
    fine_sums = np.zeros((n_fine + 1, rows.size))
    fine_sums[columns, np.arange(rows.size)] = 1.0
    fine_sums[n_fine] = 1.0
    coarse_shown, fine_shown = coarse == SHOWN, fine == SHOWN
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


def withhold_every_fine_cell(fine: StatusArray) -> StatusArray:
    every = fine.copy()
    every[:-1][every[:-1] == SHOWN] = S
    return every


def test_it_audits_under_the_strict_relation_the_published_cells_allow_though_the_counts_break_it() -> (
    None
):
    """One child and one adult of unknown band: the counts break "an unknown band is in
    the unknown age group", so the looser relation is the true one. But what is shown
    allows the strict one, and an attacker assuming it reads the unknown age group off
    the unknown band (21) and the children off the rest: 69 - 43 - 21 = 5, published as
    fewer than 10. Protection audits under both relations and withholds more bands."""
    coarse, fine = [7, 43, 19], [1, 5, 24, 18, 21]
    strict = relation(AGES, BANDS[:5], AGE_GROUPS)
    loose = relation(AGES, BANDS[:5], AGE_GROUPS, open_categories={"unknown"})
    coarse_own, fine_own = own_pattern(coarse), own_pattern(fine)
    assert coarse_own.tolist() == [P, SHOWN, S, SHOWN]
    assert fine_own.tolist() == [P, P, SHOWN, S, SHOWN, SHOWN]
    believed = LinkedPair(np.array(coarse), np.array(fine), strict)
    assert joint_table(believed) is None
    assert published_agrees(believed, coarse_own, fine_own)
    low, high, _, _ = attack_pair(
        LinkedPair(np.array(coarse), np.array(fine), loose), coarse_own, fine_own
    )
    assert high[0] - low[0] >= 10
    assert short(believed, coarse_own, fine_own, 10)[0] == [0, 2]

    result = protect_pair(
        coarse,
        fine,
        relations=[strict, loose],
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=10,
    )
    assert result.relation == 1
    assert result.coarse.tolist() == coarse_own.tolist()
    assert result.added >= 1
    for allowed in (strict, loose):
        pair = LinkedPair(np.array(coarse), np.array(fine), allowed)
        if published_agrees(pair, result.coarse, result.fine):
            assert short(pair, result.coarse, result.fine, 10) == ([], [])


@st.composite
def offered_relations(draw: st.DrawFn) -> tuple[IntArray, IntArray, list[BoolArray], int]:
    """Groups of 1 to 4 fine categories and an unknown category on both sides; the strict
    relation (unknown only with unknown) and the loose one (an unknown fine category in
    any group). The counts keep the loose one and, when nobody of a known group is of
    unknown fine category, the strict one too."""
    threshold = draw(st.sampled_from([3, 10]))
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    share_small = draw(st.sampled_from([0.3, 0.6, 0.9]))
    strays = draw(st.sampled_from([0, 1, 3]))
    generator = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    group = np.append(np.repeat(np.arange(len(sizes)), sizes), len(sizes))
    n_coarse, n_fine = len(sizes) + 1, group.size
    counts = np.where(
        generator.random(n_fine) < share_small,
        generator.integers(0, threshold, n_fine),
        generator.integers(threshold, 4 * threshold, n_fine),
    )
    joint = np.zeros((n_coarse, n_fine), dtype=np.int64)
    joint[group, np.arange(n_fine)] = counts
    # People of a known group whose fine category is not known.
    joint[: n_coarse - 1, -1] += generator.integers(0, strays + 1, n_coarse - 1)
    strict = np.zeros((n_coarse, n_fine), dtype=np.bool_)
    strict[group, np.arange(n_fine)] = True
    loose = strict.copy()
    loose[:, -1] = True
    return joint.sum(axis=1), joint.sum(axis=0), [strict, loose], threshold


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offered_relations())
def test_it_leaves_no_cell_exposed_under_any_relation_the_published_cells_allow(
    case: tuple[IntArray, IntArray, list[BoolArray], int],
) -> None:
    """Attacked under every offered relation that the published cells agree with, the
    relation the counts keep or not: no withheld cell narrower than required, but those
    already narrow under that relation with every fine cell withheld (which no
    withholding can widen)."""
    coarse, fine, relations, threshold = case
    coarse_own = own_pattern(coarse.tolist(), threshold)
    fine_own = own_pattern(fine.tolist(), threshold)
    assume(coarse_own[-1] == fine_own[-1] == SHOWN)
    result = protect_pair(
        coarse,
        fine,
        relations=relations,
        coarse_status=coarse_own,
        fine_status=fine_own,
        threshold=threshold,
    )
    assert result.coarse.tolist() == coarse_own.tolist()
    assert (result.fine[fine_own == P] == P).all()
    every = withhold_every_fine_cell(fine_own)
    for number, allowed in enumerate(relations):
        pair = LinkedPair(coarse, fine, allowed)
        if not published_agrees(pair, result.coarse, result.fine):
            continue
        assert number in result.audited
        coarse_short, fine_short = short(pair, result.coarse, result.fine, threshold)
        if number == result.relation:
            # Under the true relation only categories nothing listed can join, and the
            # coarse cells the coarse table fixes, are narrow (see the last resort).
            model = LinkedModel(pair, joint_table(pair))  # type: ignore[arg-type]
            fixed_coarse, _ = fixed_cells(model, coarse_own, fine_own)
            assert set(coarse_short) <= set(np.flatnonzero(fixed_coarse))
            assert fine_short == []
            continue
        coarse_every, fine_every = short(pair, coarse_own, every, threshold)
        assert set(coarse_short) <= set(coarse_every)
        assert set(fine_short) <= set(fine_every)


def test_it_asks_the_shared_total_for_the_threshold_when_either_table_holds_it_small() -> None:
    """A total primary in one table and secondary in the other is still a small total."""
    allowed = relation(AGES, BANDS[:5], AGE_GROUPS)
    pair = LinkedPair(np.array([2, 3, 1]), np.array([1, 1, 2, 1, 1]), allowed)
    model = LinkedModel(pair, joint_table(pair))  # type: ignore[arg-type]
    for coarse_total, fine_total in ((P, S), (S, P), (P, P)):
        status = model.margined(
            np.array([P, P, P, coarse_total]), np.array([P, P, P, P, P, fine_total])
        )
        total = model.fine_cells[-1]
        assert status[total] == P
        assert model.required(status, 10)[total] == 10
    status = model.margined(np.array([P, P, P, S]), np.array([P, P, P, P, P, S]))
    assert status[model.fine_cells[-1]] == S
