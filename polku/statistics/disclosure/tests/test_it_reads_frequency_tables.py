import numpy as np
import pytest

from polku.statistics.disclosure.table import (
    MAX_CELLS,
    FrequencyTable,
    TableError,
    read_frequency_table,
)

TABLE = """sex,age,count
female,child,3
female,adult,20
male,child,30
male,adult,40
other,child,0
other,adult,5
"""


def error_of(text: str) -> TableError:
    with pytest.raises(TableError) as caught:
        read_frequency_table(text)
    return caught.value


def test_it_reads_dimensions_values_and_counts_in_input_order() -> None:
    """Columns other than 'count' are dimensions, their values in the order they appear."""
    table = read_frequency_table("\ufeff" + TABLE.replace("count", "Count"))
    assert table.dimensions == ("sex", "age")
    assert table.values == (("female", "male", "other"), ("child", "adult"))
    assert table.counts.tolist() == [[3, 20], [30, 40], [0, 5]]


def test_it_accepts_the_count_column_anywhere_and_rows_in_any_order() -> None:
    table = read_frequency_table(
        "count,age,sex\n40,adult,male\n3,child,female\n20,adult,female\n30,child,male\n"
    )
    assert table.dimensions == ("age", "sex")
    assert table.values == (("adult", "child"), ("male", "female"))
    assert table.counts.tolist() == [[40, 20], [30, 3]]


def test_it_adds_every_marginal_total_with_total_last() -> None:
    """The margined table lists each dimension's values in input order, then Total; every
    total is the sum of the interior cells the incidence matrix names."""
    margined = read_frequency_table(TABLE).with_margins()
    assert margined.shape == (4, 3)
    labelled = {margined.labels(cell): int(margined.counts[cell]) for cell in range(12)}
    assert list(labelled)[:3] == [("female", "child"), ("female", "adult"), ("female", "Total")]
    assert list(labelled)[-1] == ("Total", "Total")
    assert labelled["female", "Total"] == 23
    assert labelled["Total", "child"] == 33
    assert labelled["Total", "adult"] == 65
    assert labelled["Total", "Total"] == 98
    interior = margined.table.counts.reshape(-1)
    assert np.array_equal(margined.incidence @ interior, margined.counts)
    assert margined.is_interior.sum() == 6
    assert margined.totals.tolist() == [0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 2]


def test_it_builds_the_margins_of_a_four_dimensional_table() -> None:
    """A 2x3x1x4 table has 3*4*2*5 cells; each total equals numpy's sum over its axes."""
    counts = np.arange(24).reshape(2, 3, 1, 4)
    margined = FrequencyTable.from_array(counts).with_margins()
    assert margined.n_cells == 3 * 4 * 2 * 5
    full = margined.counts.reshape(margined.shape)
    assert full[2, 3, 1, 4] == counts.sum()
    assert np.array_equal(full[0, 3, 0, :4], counts[0].sum(axis=0)[0])
    assert np.array_equal(full[2, :3, 1, 4], counts.sum(axis=(0, 2, 3)))
    assert np.array_equal(margined.incidence @ counts.reshape(-1), margined.counts)


def test_it_refuses_a_table_without_a_count_column() -> None:
    error = error_of("sex,age,number\nfemale,child,3\n")
    assert error.code == "count_column"
    assert "'count'" in str(error)


def test_it_refuses_a_table_without_a_dimension() -> None:
    error = error_of("count\n3\n")
    assert error.code == "no_dimension"


def test_it_refuses_an_empty_file_and_a_header_without_cells() -> None:
    assert error_of("").code == "empty"
    assert error_of("\n\n").code == "empty"
    assert error_of("sex,count\n").code == "no_cells"


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("-2", "count_negative", "is negative"),
        ("2.5", "count_fractional", "is not a whole number"),
        ("nan", "count_fractional", "is not a whole number"),
        ("many", "count_not_number", "is not a number"),
        ("", "count_not_number", "is not a number"),
    ],
)
def test_it_refuses_a_bad_count_naming_the_line_and_the_value(
    value: str, code: str, words: str
) -> None:
    error = error_of(f"sex,count\nfemale,3\nmale,{value}\n")
    assert error.code == code
    assert error.line == 3
    assert str(error).startswith(f"Line 3, column 'count': {value!r} {words}")


def test_it_accepts_whole_numbers_written_as_decimals() -> None:
    assert read_frequency_table("sex,count\nfemale,3.0\nmale,12\n").counts.tolist() == [3, 12]


def test_it_refuses_a_duplicate_cell_naming_both_lines() -> None:
    error = error_of("sex,age,count\nfemale,child,3\nmale,child,4\nfemale,child,5\n")
    assert error.code == "duplicate_cell"
    assert str(error) == "Lines 2 and 4 are the same cell (sex=female, age=child)."


def test_it_refuses_a_missing_cell_naming_one_missing_combination() -> None:
    error = error_of("sex,age,count\nfemale,child,3\nfemale,adult,4\nmale,child,5\n")
    assert error.code == "missing_cell"
    assert "one row per cell of the full cross-classification" in str(error)
    assert "sex=male, age=adult" in str(error)


@pytest.mark.parametrize("value", ["Total", "total", "TOTAL"])
def test_it_refuses_total_as_a_dimension_value(value: str) -> None:
    error = error_of(f"sex,age,count\nfemale,{value},3\n")
    assert error.code == "total_value"
    assert error.line == 2 and error.column == "age"


def test_it_refuses_rows_of_the_wrong_length_and_empty_values() -> None:
    assert error_of("sex,age,count\nfemale,3\n").code == "row_length"
    assert error_of("sex,age,count\nfemale,,3\n").code == "empty_value"


def test_it_refuses_duplicate_or_clashing_dimension_names() -> None:
    assert error_of("sex,sex,count\nf,f,1\n").code == "duplicate_dimension"
    assert error_of("sex,status,count\nf,x,1\n").code == "duplicate_dimension"
    assert error_of("sex,,count\nf,x,1\n").code == "unnamed_dimension"


def test_it_refuses_a_cross_classification_too_large_to_attack() -> None:
    side = 30
    assert side**3 > MAX_CELLS
    rows = "".join(f"a{index},b{index},c{index},1\n" for index in range(side))
    error = error_of("a,b,c,count\n" + rows)
    assert error.code == "too_many_cells"


def test_it_checks_tables_given_as_arrays() -> None:
    """The programmatic entry point refuses what the CSV reader refuses."""
    with pytest.raises(TableError, match="non-negative whole numbers"):
        FrequencyTable.from_array(np.array([3, -1]))
    with pytest.raises(TableError, match="non-negative whole numbers"):
        FrequencyTable.from_array(np.array([3.5, 1.0]))
    with pytest.raises(TableError, match="no cells"):
        FrequencyTable.from_array(np.zeros((0, 2), dtype=np.int64))
    with pytest.raises(TableError, match="reserved"):
        FrequencyTable.from_array(np.array([1, 2]), values=[["a", "total"]])
    with pytest.raises(TableError, match="repeats a value"):
        FrequencyTable.from_array(np.array([1, 2]), values=[["a", "a"]])
    with pytest.raises(TableError) as caught:
        FrequencyTable.from_array(np.ones((150, 150), dtype=np.int64))
    assert caught.value.code == "too_many_cells"
