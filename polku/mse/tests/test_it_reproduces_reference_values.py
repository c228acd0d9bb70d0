"""The reference values printed for the shipped tables (see data/README.md for the sources).

Point estimates and Wald/profile limits are compared to the precision they are given in:
within half a unit of their last digit (0.005 for two decimals, 0.05 for one).
"""

import pytest

from polku.mse.estimate import Estimate, estimate_population
from polku.mse.tests.helpers import reference_table


def run(name: str, **options: object) -> Estimate:
    result = estimate_population(reference_table(name), **options)  # type: ignore[arg-type]
    assert result.estimate is not None
    return result


def model_names(result: Estimate) -> set[str]:
    return {":".join(term) for term in result.model_terms}


def test_new_orleans_main_effects() -> None:
    """NewOrl, main effects: 996.66 with log-normal Wald interval (644.9, 1617.5)."""
    result = run("NewOrl", method="main", interval="wald")
    assert result.estimate == pytest.approx(996.66, abs=0.005)
    assert result.interval == pytest.approx((644.9, 1617.5), abs=0.05)
    assert result.model_terms == []


def test_new_orleans_stepwise() -> None:
    """NewOrl, stepwise p < 0.02: main effects + D:E, 1183.69."""
    result = run("NewOrl", method="stepwise", interval="none")
    assert model_names(result) == {"D:E"}
    assert result.estimate == pytest.approx(1183.69, abs=0.005)
    assert result.interval is None


def test_new_orleans_five_lists_stepwise() -> None:
    """NewOrl_5, stepwise p < 0.02: main effects only, 1034.15."""
    result = run("NewOrl_5", method="stepwise", interval="none")
    assert result.model_terms == []
    assert result.estimate == pytest.approx(1034.15, abs=0.005)


def test_uk_five_lists_stepwise() -> None:
    """UKdat_5, stepwise p < 0.02: six pairs, 11312.99, Wald (9884.4, 13027.4)."""
    result = run("UKdat_5", method="stepwise", interval="wald")
    assert model_names(result) == {"LA:NG", "NG:GP", "PFNCA:GP", "LA:PFNCA", "GO:GP", "NG:GO"}
    assert result.estimate == pytest.approx(11312.99, abs=0.005)
    assert result.interval == pytest.approx((9884.4, 13027.4), abs=0.05)


def test_uk_six_lists_stepwise() -> None:
    """UKdat, stepwise p < 0.02: seven pairs, 11417.99, Wald (9977.3, 13145.7)."""
    result = run("UKdat", method="stepwise", interval="wald")
    assert model_names(result) == {
        "PF:NCA",
        "LA:NG",
        "NG:GP",
        "LA:PF",
        "PF:GP",
        "GO:GP",
        "NG:GO",
    }
    assert result.estimate == pytest.approx(11417.99, abs=0.005)
    assert result.interval == pytest.approx((9977.3, 13145.7), abs=0.05)


def test_uk_five_lists_main_effects() -> None:
    """UKdat_5, main effects: 13444.13, Wald (11985.2, 15133.4)."""
    result = run("UKdat_5", method="main", interval="wald")
    assert result.estimate == pytest.approx(13444.13, abs=0.005)
    assert result.interval == pytest.approx((11985.2, 15133.4), abs=0.05)


def test_uk_five_lists_home_office_method_with_profile_likelihood() -> None:
    """UKdat_5, AIC steps stopping at Wald p > 0.05: profile-likelihood maximum 11303.9,
    interval (9889.2, 13063.1)."""
    result = run("UKdat_5", method="aic-bhs", interval="profile")
    assert result.profile_mle == pytest.approx(11303.9, abs=0.05)
    assert result.interval == pytest.approx((9889.2, 13063.1), abs=0.05)
    # The multinomial maximum lies a little below the Poisson estimate.
    assert result.profile_mle is not None and result.estimate is not None
    assert result.profile_mle < result.estimate
