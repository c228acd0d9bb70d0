import numpy as np
import pytest

from polku.statistics.disclosure import protect as protect_module
from polku.statistics.disclosure.attack import Status, attack
from polku.statistics.disclosure.protect import ProtectionError, protect
from polku.statistics.disclosure.table import FrequencyTable
from polku.statistics.disclosure.tests.helpers import cell, margined


def statuses_of(counts: list[int] | list[list[int]], threshold: int = 10) -> np.ndarray:
    result = protect(FrequencyTable.from_array(np.array(counts)), threshold=threshold)
    return result.status.reshape(result.table.shape)


def test_it_suppresses_three_more_cells_in_a_two_by_two_with_one_small_cell() -> None:
    """The small cell is primary, the other three interior cells secondary, every total
    published: suppressing a total instead would lose more."""
    status = statuses_of([[3, 20], [30, 40]])
    assert status.tolist() == [[1, 2, 0], [2, 2, 0], [0, 0, 0]]


def test_it_suppresses_nothing_when_no_cell_is_small() -> None:
    status = statuses_of([[10, 20], [30, 40]])
    assert not status.any()


def test_it_treats_zero_and_small_totals_as_primary() -> None:
    """Below the threshold means primary, zero included, and totals too."""
    status = statuses_of([[0, 50, 60], [4, 5, 90]])
    assert status[0, 0] == status[1, 0] == Status.PRIMARY
    assert status[1, 1] == Status.PRIMARY
    assert status[2, 0] == Status.PRIMARY  # column total 4
    assert status[0, 3] == status[1, 3] == status[2, 3] == Status.PUBLISHED


def test_it_uses_the_threshold_given() -> None:
    """With threshold 1 only zeros are primary; with 5, counts 0 to 4."""
    at_one = statuses_of([[0, 3], [30, 40]], threshold=1)
    assert at_one[0, 0] == Status.PRIMARY and at_one[0, 1] != Status.PRIMARY
    at_five = statuses_of([[0, 5], [4, 40]], threshold=5)
    assert at_five[0, 0] == at_five[1, 0] == Status.PRIMARY
    assert at_five[0, 1] != Status.PRIMARY


def test_it_suppresses_everything_when_the_grand_total_is_small() -> None:
    status = statuses_of([[1, 2], [3, 0]])
    assert (status == Status.PRIMARY).all()


def test_it_picks_the_smallest_cell_to_hide_a_small_one_in_a_single_dimension() -> None:
    """In a one-way table the small cell needs one partner; the smallest will do."""
    assert statuses_of([3, 60, 50, 200]).tolist() == [1, 0, 2, 0, 0]


def test_it_prefers_the_cheapest_rectangle_in_a_two_way_table() -> None:
    """Of the rectangles through the small cell, the one whose other cells sum least."""
    status = statuses_of([[5, 500, 20], [400, 300, 400], [30, 600, 25]])
    assert (status[:3, :3] != Status.PUBLISHED).tolist() == [
        [True, False, True],
        [False, False, False],
        [True, False, True],
    ]
    assert not status[3].any() and not status[:, 3].any()


def test_it_protects_a_small_total_and_its_parts() -> None:
    """A row total of 7 is primary, so are its parts; another row hides them, and the
    attack finds every range wide enough."""
    counts = [[3, 4, 0], [40, 50, 60], [70, 80, 90]]
    result = protect(FrequencyTable.from_array(np.array(counts)))
    table = result.table
    assert result.status[cell(table, 0, 3)] == Status.PRIMARY
    ranges = attack(table, result.suppressed)
    assert ranges.width[cell(table, 0, 3)] >= 10 - 1e-6
    for column in range(3):
        assert ranges.width[cell(table, 0, column)] >= 10 - 1e-6


def test_it_lists_every_cell_in_order_with_suppressed_counts_left_out() -> None:
    table = FrequencyTable.from_array(
        np.array([[3, 20], [30, 40]]), dimensions=["sex", "age"], values=[["f", "m"], ["0", "1"]]
    )
    result = protect(table)
    assert list(result.rows()) == [
        (("f", "0"), None, "primary"),
        (("f", "1"), None, "secondary"),
        (("f", "Total"), 23, "published"),
        (("m", "0"), None, "secondary"),
        (("m", "1"), None, "secondary"),
        (("m", "Total"), 70, "published"),
        (("Total", "0"), 33, "published"),
        (("Total", "1"), 60, "published"),
        (("Total", "Total"), 93, "published"),
    ]
    assert result.count(Status.PRIMARY) == 1 and result.count(Status.SECONDARY) == 3
    assert result.suppressed_sum() == 93
    assert result.suppressed_sum(Status.SECONDARY) == 90
    assert result.summary() == (
        "Threshold 10: 4 of 9 cells suppressed (1 primary, 3 secondary), their counts "
        "summing to 93 (primary 3, secondary 90). Interior cells: 4 of 4 suppressed, "
        "holding 93 of the grand total 93."
    )


def test_it_refuses_a_threshold_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        protect(FrequencyTable.from_array(np.array([1, 2])), threshold=0)


def test_it_publishes_nothing_when_its_own_attack_breaks_the_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If secondary suppression went wrong (here: it suppresses nothing), the final attack
    catches it and protect raises instead of returning a table."""

    def moves_nothing(
        self: protect_module._Protector, cell: int, width: float, suppressed: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        truth = self.table.counts[self.table.interior].astype(np.float64)
        return np.zeros(self.table.n_cells, dtype=np.bool_), truth

    monkeypatch.setattr(protect_module._Protector, "moves", moves_nothing)
    table = margined([[3, 20], [30, 40]])
    with pytest.raises(ProtectionError) as caught:
        protect(table)
    assert "could still be worked back" in str(caught.value)
    assert "D1=D11, D2=D21" in str(caught.value)
    assert [exposure.cell for exposure in caught.value.exposed] == [cell(table, 0, 0)]
