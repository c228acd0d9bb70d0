import math

import numpy as np
import pytest

from polku.mse.fit import fit_poisson, fit_poisson_batch
from polku.mse.histories import read_capture_histories
from polku.mse.selection import fit_model
from polku.mse.terms import Model, design, observable_cells
from polku.mse.tests.helpers import reference_table


def test_it_gives_the_lincoln_petersen_estimate_for_two_lists() -> None:
    """With two lists the main-effects model is saturated: unobserved = n10 * n01 / n11."""
    table = read_capture_histories("A,B,count\n1,0,30\n0,1,20\n1,1,10\n")
    fitted = fit_model(Model(2), table.cell_counts())
    assert fitted.estimate == pytest.approx(60 + 30 * 20 / 10, rel=1e-10)
    # log(unobserved) = log n10 + log n01 - log n11, so its variance is the sum of reciprocals.
    assert fitted.intercept_se == pytest.approx(math.sqrt(1 / 30 + 1 / 20 + 1 / 10), rel=1e-8)


def test_it_solves_the_likelihood_equations() -> None:
    """At the fit the margins of fitted and observed counts agree (score is zero)."""
    table = reference_table("NewOrl")
    cells = observable_cells(table.n_lists)
    matrix = design(cells, Model.build(table.n_lists, [0b11000]).columns)
    counts = table.cell_counts()[cells].astype(np.float64)
    fit = fit_poisson(matrix, counts)
    assert fit.converged
    np.testing.assert_allclose(matrix.T @ fit.fitted, matrix.T @ counts, rtol=1e-9, atol=1e-9)


def test_it_fits_a_batch_like_one_model_at_a_time() -> None:
    """Batched fits (padded columns, left-out cells) equal the single-model fits."""
    table = reference_table("UKdat_5")
    counts = table.cell_counts()
    models = [Model(5), Model.build(5, [0b00011, 0b10010]), Model.build(5, [0b00111])]
    singles = [fit_model(model, counts) for model in models]
    width = max(len(single.layout.columns) for single in singles)
    n_cells = max(single.layout.cells.size for single in singles)
    designs = np.zeros((len(models), n_cells, width))
    batch_counts = np.zeros((len(models), n_cells))
    weights = np.zeros((len(models), n_cells))
    active = np.zeros((len(models), width), dtype=bool)
    for row, single in enumerate(singles):
        size, columns = single.layout.cells.size, len(single.layout.columns)
        designs[row, :size, :columns] = single.layout.design
        batch_counts[row, :size] = counts[single.layout.cells]
        weights[row, :size] = 1
        active[row, :columns] = True
    batch = fit_poisson_batch(designs, batch_counts, cells=weights, active=active)
    for row, single in enumerate(singles):
        columns = len(single.layout.columns)
        np.testing.assert_allclose(
            batch.coefficients[row, :columns], single.fit.coefficients, rtol=1e-7, atol=1e-9
        )
        assert batch.loglik[row] == pytest.approx(single.fit.loglik, rel=1e-12)
        assert batch.covariance[row, 0, 0] == pytest.approx(single.fit.covariance[0, 0])


def test_it_drops_the_cells_of_an_empty_overlap_instead_of_chasing_minus_infinity() -> None:
    """A:B with nobody on both lists: its cells are left out, its term has no finite value,
    and the estimate equals the main-effects fit to the remaining cells; the parameter still
    counts."""
    table = read_capture_histories("A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,50\n1,0,1,6\n0,1,1,5\n")
    counts = table.cell_counts()
    model = Model.build(3, [0b011])
    fitted = fit_model(model, counts)
    assert fitted.layout.dropped == (0b011,)
    assert sorted(fitted.layout.cells.tolist()) == [1, 2, 4, 5, 6]
    assert fitted.coefficient(0b011) is None
    assert fitted.n_parameters == 5
    retained = fitted.layout.cells
    main = fit_poisson(design(retained, Model(3).columns), counts[retained].astype(float))
    assert fitted.estimate == pytest.approx(table.n_observed + math.exp(main.coefficients[0]))
    assert fitted.aic == pytest.approx(2 * 5 - 2 * main.loglik)
