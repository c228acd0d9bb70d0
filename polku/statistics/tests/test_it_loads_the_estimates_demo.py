"""The demo estimates: two methods on one fictional table, the bootstrap one accepted."""

import pytest

from polku.actors import demo as actors_demo
from polku.statistics import demo_estimates
from polku.statistics.choices import RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.selectors import estimates_for_annual_report

pytestmark = pytest.mark.django_db


def test_it_estimates_the_demo_table_twice_and_reports_one_figure_once() -> None:
    actors_demo.load()
    assert demo_estimates.load() == {"estimates": 2}
    runs = list(EstimateRun.objects.order_by("pk"))
    assert [run.status for run in runs] == [RunStatus.FINISHED, RunStatus.FINISHED]
    assert [run.method for run in runs] == ["stepwise", "bic"]
    assert all(run.n_observed == 647 for run in runs)
    # Uneven visibility biases the estimate low: below the simulated 1,100, above the seen 647.
    assert all(run.estimate is not None and 900 < run.estimate < 1100 for run in runs)
    reported = estimates_for_annual_report(year=demo_estimates.REFERENCE_YEAR)
    assert [entry.title for entry in reported] == [demo_estimates.TITLE]
    assert demo_estimates.load() == {"estimates": 0}
    assert EstimateRun.objects.count() == 2
