import numpy as np
import pytest

from polku.mse.histories import CaptureHistories, CaptureHistoryError, read_capture_histories
from polku.mse.tests.helpers import reference_table


def refused(text: str) -> CaptureHistoryError:
    with pytest.raises(CaptureHistoryError) as caught:
        read_capture_histories(text)
    return caught.value


def test_it_reads_a_reference_table() -> None:
    """UKdat_5 has five named lists, 18 histories and 2,744 people."""
    table = reference_table("UKdat_5")
    assert table.lists == ("LA", "NG", "PFNCA", "GO", "GP")
    assert table.histories.shape == (18, 5)
    assert table.n_observed == 2744


def test_it_expands_to_every_observable_history() -> None:
    """All 2^t cells are present, missing histories count zero and cell 0 is empty."""
    table = read_capture_histories("A,B,C,count\n1,0,0,5\n1,1,0,2\n0,0,1,4\n")
    cells = table.cell_counts()
    assert cells.shape == (8,)
    assert cells.tolist() == [0, 5, 0, 2, 4, 0, 0, 0]


def test_it_accepts_count_in_any_column_and_whole_number_decimals() -> None:
    """The count column is found by name; 3.0 is a whole number."""
    table = read_capture_histories("count,A,B\n3.0,1,0\n2,0,1\n1,1,1\n")
    assert table.lists == ("A", "B")
    assert table.counts.tolist() == [3, 2, 1]


@pytest.mark.parametrize(
    ("text", "code", "line", "column", "words"),
    [
        ("A,B,count\n1,2,3\n", "not_binary", 2, "B", "expected 0 or 1, got '2'"),
        ("A,B,count\n1,yes,3\n", "not_binary", 2, "B", "got 'yes'"),
        ("A,B,count\n1,0,3\n0,1,-2\n", "count_negative", 3, "count", "negative"),
        ("A,B,count\n1,0,2.5\n", "count_fractional", 2, "count", "not a whole number"),
        ("A,B,count\n1,0,many\n", "count_not_number", 2, "count", "not a number"),
        ("A,count\n1,3\n", "too_few_lists", 1, None, "At least 2 lists"),
        ("A,B,C,count\n1,0,0,3\n0,1,0,2\n", "empty_list", None, "C", "No one is on list 'C'"),
        ("A,B,count\n1,0,3\n0,1,1\n1,0,2\n", "duplicate_history", 4, None, "repeats"),
        ("A,B,count\n1,0,3\n0,0,4\n", "all_zero_row", 3, None, "on no list"),
        ("A,B\n1,0\n", "count_column", 1, None, "'count'"),
        ("A,A,count\n1,0,3\n", "duplicate_list", 1, "A", "appears twice"),
        ("A,B,count\n1,0\n", "row_length", 2, None, "has 2 values"),
        ("", "empty", None, None, "empty"),
        ("A,B,count\n1,0,0\n0,1,0\n", "no_one_observed", None, None, "zero"),
    ],
)
def test_it_refuses_bad_tables_saying_what_and_where(
    text: str, code: str, line: int | None, column: str | None, words: str
) -> None:
    """Each kind of bad input is refused with its code, line, column and a clear message."""
    error = refused(text)
    assert error.code == code
    assert error.line == line
    assert error.column == column
    assert words in str(error)


def test_it_validates_histories_given_as_python_values() -> None:
    """from_rows applies the same rules: a 2 in a list column is refused."""
    good = CaptureHistories.from_rows(["A", "B"], [[1, 0], [1, 1]], [4, 1])
    assert good.n_observed == 5
    with pytest.raises(CaptureHistoryError) as caught:
        CaptureHistories.from_rows(["A", "B"], [[1, 2]], [4])
    assert caught.value.code == "not_binary"
    assert caught.value.column == "B"
    with pytest.raises(CaptureHistoryError) as caught:
        CaptureHistories.from_rows(["A", "B"], [[1, 0], [0, 1]], [4, 0.5])
    assert caught.value.code == "count_fractional"


def test_it_indexes_histories_by_bitmask() -> None:
    """List i is bit i: a history on A and C (of A, B, C) is cell 5."""
    table = read_capture_histories("A,B,C,count\n1,0,1,7\n0,1,0,1\n")
    assert table.masks.tolist() == [5, 2]
    assert int(np.flatnonzero(table.cell_counts() == 7)[0]) == 5
