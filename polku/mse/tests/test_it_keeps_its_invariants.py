import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.mse.estimate import estimate_population
from polku.mse.histories import CaptureHistories


@st.composite
def tables(draw: st.DrawFn) -> CaptureHistories:
    """Capture-history tables of 3 or 4 lists with every list non-empty."""
    n_lists = draw(st.integers(min_value=3, max_value=4))
    histories = [[cell >> index & 1 for index in range(n_lists)] for cell in range(1, 1 << n_lists)]
    counts = [draw(st.integers(min_value=0, max_value=60)) for _ in histories]
    for index in range(n_lists):
        counts[(1 << index) - 1] += draw(st.integers(min_value=1, max_value=60))
    return CaptureHistories.from_rows([f"L{index}" for index in range(n_lists)], histories, counts)


def permuted(table: CaptureHistories, order: list[int]) -> CaptureHistories:
    return CaptureHistories.from_rows(
        [table.lists[index] for index in order],
        table.histories[:, order].tolist(),
        table.counts.tolist(),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.randoms(use_true_random=False), st.sampled_from(["main", "stepwise"]))
def test_it_does_not_depend_on_the_order_of_the_lists(
    table: CaptureHistories, random: object, method: str
) -> None:
    """Reordering the list columns changes neither N-hat nor whether it exists."""
    order = list(range(table.n_lists))
    random.shuffle(order)  # type: ignore[attr-defined]
    original = estimate_population(table, method=method, interval="none")
    shuffled = estimate_population(permuted(table, order), method=method, interval="none")
    assert original.check.code == shuffled.check.code
    if original.estimate is None:
        assert shuffled.estimate is None
    else:
        assert shuffled.estimate == pytest.approx(original.estimate, rel=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["main", "stepwise", "aic-bhs", "bic"]))
def test_it_never_estimates_fewer_people_than_were_seen(
    table: CaptureHistories, method: str
) -> None:
    """N-hat >= the number observed, and its Wald interval contains it; a model without
    an estimate is reported as such, never as a number."""
    result = estimate_population(table, method=method, interval="wald")
    if result.estimate is None:
        assert result.interval is None
        assert result.check.code != 0
        return
    assert np.isfinite(result.estimate)
    assert result.estimate >= table.n_observed
    assert result.interval is not None
    assert table.n_observed <= result.interval[0] <= result.estimate <= result.interval[1]


@settings(max_examples=40, deadline=None)
@given(tables(), st.integers(min_value=2, max_value=5))
def test_it_scales_the_unseen_with_the_table(table: CaptureHistories, factor: int) -> None:
    """Multiplying every count by k multiplies the main-effects N-hat by k (the model is
    scale-equivariant)."""
    bigger = CaptureHistories.from_rows(
        table.lists, table.histories.tolist(), (table.counts * factor).tolist()
    )
    small = estimate_population(table, method="main", interval="none")
    large = estimate_population(bigger, method="main", interval="none")
    if small.estimate is None:
        assert large.estimate is None
    else:
        assert large.estimate == pytest.approx(factor * small.estimate, rel=1e-6)
