import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.mse.check import (
    LP_ZERO,
    CheckCode,
    Checker,
    check_layout,
    check_model,
    existence_without_lp,
    layout,
    lp_optimum,
    parse_terms,
)
from polku.mse.estimate import check_terms
from polku.mse.histories import read_capture_histories
from polku.mse.terms import Model, pairs
from polku.mse.tests.helpers import reference_table

# A, B and C with nobody on both A and B.
NO_AB = "A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,50\n1,0,1,6\n0,1,1,5\n"


def test_it_passes_the_published_stepwise_model() -> None:
    """The UKdat_5 stepwise model exists and is identifiable (code 0)."""
    table = reference_table("UKdat_5")
    result = check_terms(table, "LA:NG,NG:GP,PFNCA:GP,LA:PFNCA,GO:GP,NG:GO")
    assert result.code == CheckCode.OK
    assert result.lp_optimum > 0
    assert result.rank_deficiency == 0


def test_it_finds_a_missing_estimate_for_two_lists_without_overlap() -> None:
    """Two lists with no one on both: the Lincoln-Petersen estimate is infinite (code 1)."""
    table = read_capture_histories("A,B,count\n1,0,30\n0,1,20\n")
    result = check_model(Model(2), table.cell_counts())
    assert result.code == CheckCode.NOT_EXIST
    assert result.lp_optimum == pytest.approx(0, abs=1e-9)


def test_it_finds_a_model_that_cannot_be_identified() -> None:
    """All three pairs with A:B empty: six parameters for five remaining cells (code 2)."""
    table = read_capture_histories(NO_AB)
    result = check_terms(table, "A:B,A:C,B:C")
    assert result.code == CheckCode.NOT_IDENTIFIABLE
    assert result.rank_deficiency == 1


def test_it_finds_a_model_that_neither_exists_nor_is_identifiable() -> None:
    """All pairs with A:B empty (not identifiable) and nobody on C alone: C's main effect can
    fall without limit while A:C and B:C rise, so the estimate does not exist either."""
    table = read_capture_histories("A,B,C,count\n1,0,0,40\n0,1,0,30\n1,0,1,6\n0,1,1,5\n")
    result = check_terms(table, "A:B,A:C,B:C")
    assert result.code == CheckCode.NEITHER
    assert result.rank_deficiency == 1
    assert result.lp_optimum == pytest.approx(0, abs=1e-9)
    assert result.meaning.startswith("The estimate does not exist and")


def test_it_reports_a_three_list_term_nobody_is_on_as_missing() -> None:
    """A three-list term whose margin is zero has coefficient minus infinity (code 1)."""
    table = reference_table("UKdat_5")
    result = check_terms(table, "NG:GO:GP")
    assert result.code == CheckCode.NOT_EXIST


def test_it_parses_terms_by_list_name() -> None:
    """'A:C, B:C' becomes the bitmasks of those pairs; unknown names are refused."""
    assert parse_terms("A:C, B:C", ["A", "B", "C"]) == [0b101, 0b110]
    assert parse_terms("", ["A", "B"]) == []
    with pytest.raises(ValueError, match="no list named 'X'"):
        parse_terms("A:X", ["A", "B"])
    with pytest.raises(ValueError, match="at least two lists"):
        parse_terms("A", ["A", "B"])


@st.composite
def tables_and_models(draw: st.DrawFn) -> tuple[np.ndarray, Model]:
    n_lists = draw(st.integers(min_value=3, max_value=4))
    cells = np.zeros(1 << n_lists, dtype=np.int64)
    for cell in range(1, 1 << n_lists):
        # Mostly small counts and many zeros: the sparse tables where checks matter.
        cells[cell] = draw(st.sampled_from([0, 0, 0, 1, 2, 5, 30]))
    for index in range(n_lists):
        cells[1 << index] += 1
    triples = [0b0111, 0b1011, 0b1101, 0b1110][: 1 if n_lists == 3 else 4]
    chosen = draw(st.lists(st.sampled_from(pairs(n_lists) + tuple(triples)), max_size=6))
    return cells, Model.build(n_lists, chosen)


@settings(max_examples=150, deadline=None)
@given(tables_and_models())
def test_it_gives_the_linear_programme_answer_by_its_shortcuts(
    case: tuple[np.ndarray, Model],
) -> None:
    """The fast checker used in model searches agrees with the linear programme and rank
    (code 0 or not) on random sparse tables and models."""
    cells, model = case
    arranged = layout(model, cells)
    assert Checker().passes(arranged, cells) == (check_layout(arranged, cells).code == CheckCode.OK)


@settings(max_examples=150, deadline=None)
@given(tables_and_models())
def test_it_settles_existence_without_the_programme_only_when_it_agrees(
    case: tuple[np.ndarray, Model],
) -> None:
    """Whenever the null-space argument decides existence, the linear programme agrees."""
    cells, model = case
    arranged = layout(model, cells)
    matrix = arranged.design
    counts = cells[arranged.cells].astype(float)
    decided = existence_without_lp(matrix, counts > 0)
    if decided is not None:
        assert decided == (lp_optimum(matrix, counts) > LP_ZERO)


def test_it_settles_a_one_dimensional_gap_by_sign() -> None:
    """Two lists, nobody on both: the positive cells miss one direction, along which the
    design is negative on the empty cell, so the estimate does not exist; with one person
    on both it exists."""
    matrix = np.array([[1.0, 1, 0], [1, 0, 1], [1, 1, 1]])
    assert existence_without_lp(matrix, np.array([True, True, False])) is False
    assert existence_without_lp(matrix, np.array([True, True, True])) is True
