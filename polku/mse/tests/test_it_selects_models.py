import math
from itertools import combinations

import numpy as np
import pytest

from polku.mse.check import CheckCode, Checker, Layout, check_layout, layout
from polku.mse.estimate import Workspace, select_model
from polku.mse.histories import read_capture_histories
from polku.mse.selection import (
    fit_model,
    hierarchical_models,
    poisson_p_values,
    select_aic_bhs,
    select_stepwise,
)
from polku.mse.terms import Model, pairs, subterms, term_lists
from polku.mse.tests.helpers import reference_table


def names(table_lists: tuple[str, ...], model: Model) -> list[str]:
    return [":".join(table_lists[i] for i in term_lists(term)) for term in model.interactions]


def test_it_breaks_stepwise_ties_in_pair_order() -> None:
    """A:B and C:D tie at p = 0 (as do the empty pairs): A:B, first in (1,2), (1,3), ...
    order, is added first."""
    table = read_capture_histories(
        "A,B,C,D,count\n1,0,0,0,10000\n0,1,0,0,10000\n1,1,0,0,10000\n"
        "0,0,1,0,10000\n0,0,0,1,10000\n0,0,1,1,10000\n"
    )
    counts = table.cell_counts()
    main = fit_model(Model(4), counts)
    fitted = np.zeros(16)
    fitted[main.layout.cells] = main.fit.fitted
    a_b = 0b0011
    observed = np.array([counts[[3, 7, 11, 15]].sum(), counts[[12, 13, 14, 15]].sum()], float)
    expected = np.array([fitted[[3, 7, 11, 15]].sum(), fitted[[12, 13, 14, 15]].sum()])
    assert poisson_p_values(observed, expected).tolist() == [0.0, 0.0]
    selection = select_stepwise(counts, 4)
    assert selection.steps[0].term == a_b
    assert selection.steps[0].statistic == 0.0


class RefusingChecker(Checker):
    """A checker that fails every model containing one given pair."""

    def __init__(self, refused: int) -> None:
        super().__init__()
        self.refused = refused

    def passes(self, fitted: Layout, cell_counts: np.ndarray) -> bool:
        if self.refused in fitted.model.interactions:
            return False
        return super().passes(fitted, cell_counts)


def test_it_skips_a_pair_whose_addition_fails_the_check() -> None:
    """Stepwise on UKdat_5 first adds LA:NG; if that model failed the check, LA:NG would
    count as p = 1 and never be added, and the search would go on with the others."""
    table = reference_table("UKdat_5")
    counts = table.cell_counts()
    usual = select_stepwise(counts, 5)
    assert names(table.lists, Model(5, (usual.steps[0].term,))) == ["LA:NG"]
    refused = usual.steps[0].term
    selection = select_stepwise(counts, 5, checker=RefusingChecker(refused))
    assert refused not in selection.model.interactions
    assert selection.steps[0].term == usual.steps[1].term
    assert selection.models_excluded >= 1


def test_it_stops_stepwise_at_the_threshold() -> None:
    """Every pair left out of the stepwise UKdat model has p >= 0.02 given that model."""
    table = reference_table("UKdat")
    counts = table.cell_counts()
    selection = select_stepwise(counts, 6)
    assert selection.fitted is not None
    cells = np.arange(counts.size)
    fitted = np.zeros(counts.size)
    fitted[selection.fitted.layout.cells] = selection.fitted.fit.fitted
    for term in pairs(6):
        if term in selection.model.interactions:
            continue
        inside = (cells & term) == term
        p_value = poisson_p_values(
            np.array([counts[inside].sum()], float), np.array([fitted[inside].sum()])
        )[0]
        assert p_value >= 0.02


def test_it_stops_the_aic_method_by_its_two_rules() -> None:
    """After aic-bhs on UKdat_5, the best further pair either does not lower AIC or has a
    Wald p-value above 0.05; and every step lowered AIC."""
    table = reference_table("UKdat_5")
    counts = table.cell_counts()
    selection = select_aic_bhs(counts, 5)
    assert selection.fitted is not None
    final = selection.fitted
    candidates = [
        fit_model(final.model.with_term(term), counts)
        for term in pairs(5)
        if term not in final.model.interactions
        and check_layout(layout(final.model.with_term(term), counts), counts).code == CheckCode.OK
    ]
    best = min(candidates, key=lambda fitted: fitted.aic)
    added = next(term for term in best.model.interactions if term not in final.model.interactions)
    assert best.aic >= final.aic or best.wald_p(added) > 0.05
    aics = [step.statistic for step in selection.steps]
    assert aics == sorted(aics, reverse=True)
    assert fit_model(Model(5), counts).aic > aics[0]


def brute_force_models(n_lists: int, maxorder: int) -> set[tuple[int, ...]]:
    terms = [
        sum(1 << index for index in chosen)
        for size in range(2, maxorder + 1)
        for chosen in combinations(range(n_lists), size)
    ]
    found = set()
    for mask in range(1 << len(terms)):
        chosen = {term for bit, term in enumerate(terms) if mask >> bit & 1}
        if all(sub in chosen for term in chosen for sub in subterms(term)):
            found.add(tuple(sorted(chosen)))
    return found


@pytest.mark.parametrize(("n_lists", "maxorder"), [(3, 2), (4, 2), (4, 3)])
def test_it_enumerates_every_hierarchical_model_once(n_lists: int, maxorder: int) -> None:
    """The enumeration equals brute force (all term sets closed under sub-terms), in order
    of parameter count."""
    models = list(hierarchical_models(n_lists, maxorder))
    assert len(models) == len({model.interactions for model in models})
    assert {tuple(sorted(model.interactions)) for model in models} == brute_force_models(
        n_lists, maxorder
    )
    sizes = [model.n_parameters for model in models]
    assert sizes == sorted(sizes)


def exhaustive_bic(counts: np.ndarray, n_lists: int, maxorder: int) -> tuple[Model, float]:
    """Fit every model that passes the per-model check (itself tested against the linear
    programme) one at a time; the smallest BIC wins."""
    best: tuple[float, Model] | None = None
    checker = Checker()
    for model in hierarchical_models(n_lists, maxorder):
        if not checker.passes(layout(model, counts), counts):
            continue
        bic = fit_model(model, counts).bic
        if best is None or bic < best[0]:
            best = (bic, model)
    assert best is not None
    return best[1], best[0]


@pytest.mark.parametrize(("name", "seed"), [("NewOrl_5", None), ("UKdat_5", 3)])
def test_it_finds_the_bic_winner_of_an_exhaustive_search(name: str, seed: int | None) -> None:
    """The pruned BIC search picks the model an exhaustive search with the linear programme
    picks (on the table itself, or on a resample of it)."""
    table = reference_table(name)
    counts = table.cell_counts()
    if seed is not None:
        generator = np.random.default_rng(seed)
        observed = np.flatnonzero(counts)
        resampled = np.zeros_like(counts)
        resampled[observed] = generator.multinomial(
            table.n_observed, counts[observed] / table.n_observed
        )
        counts = resampled
    expected_model, expected_bic = exhaustive_bic(counts, table.n_lists, 3)
    workspace = Workspace()
    if seed is not None:
        select_model("bic", table.cell_counts(), table.n_lists, workspace=workspace)
    selection = select_model("bic", counts, table.n_lists, maxorder=3, workspace=workspace)
    assert selection.fitted is not None
    assert selection.model == expected_model
    assert selection.fitted.bic == pytest.approx(expected_bic, rel=1e-9)


def test_it_counts_empty_overlap_parameters_in_the_bic() -> None:
    """BIC = parameters x log(n) - 2 loglik, the dropped A:B term included."""
    table = read_capture_histories("A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,50\n1,0,1,6\n0,1,1,5\n")
    fitted = fit_model(Model.build(3, [0b011]), table.cell_counts())
    assert fitted.bic == pytest.approx(5 * math.log(131) - 2 * fitted.fit.loglik)
