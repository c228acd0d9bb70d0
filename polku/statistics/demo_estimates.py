"""Demo estimates: a fictional four-list capture-history table for Finland, estimated twice.

The table is invented: 647 people seen by the police (POL), the assistance system (AS), NGOs
(NGO) and labour inspection (LI) in one year, simulated from a hidden population of 1,100
with uneven visibility and NGOs referring people to the assistance system. The secretariat
runs it with the stepwise method and a Wald interval, and again with BIC and a BCa
bootstrap, and accepts the bootstrap run for the annual report — so the estimate falls
below the true 1,100, as estimates with uneven visibility do, and the caveats matter.

Runs go through the real services; each is worked at once here, so the demo has results
before the worker starts (the worker then finds them done and leaves them).
"""

from polku.accounts.models import User
from polku.statistics.choices import IntervalMethod, Method
from polku.statistics.models import EstimateRun
from polku.statistics.services.estimates import (
    EstimateOptions,
    estimate_run_accept,
    estimate_run_start,
)
from polku.statistics.services.execution import estimate_run_execute

REFERENCE_YEAR = 2024
TITLE = "Presumed victims in 2024: police, assistance system, NGOs and labour inspection"

TABLE = """POL,AS,NGO,LI,count
1,1,1,1,4
1,1,1,0,31
1,1,0,1,6
1,1,0,0,65
1,0,1,1,2
1,0,1,0,18
1,0,0,1,13
1,0,0,0,116
0,1,1,1,11
0,1,1,0,85
0,1,0,1,13
0,1,0,0,196
0,0,1,1,4
0,0,1,0,51
0,0,0,1,32
"""

RUNS = (
    EstimateOptions(method=Method.STEPWISE, interval=IntervalMethod.WALD),
    EstimateOptions(method=Method.BIC, interval=IntervalMethod.BCA, nboot=500, seed=2025),
)


def load() -> dict[str, int]:
    """Creates and works the demo runs once; returns how many were created."""
    if EstimateRun.objects.filter(title=TITLE).exists():
        return {"estimates": 0}
    secretariat = User.objects.get(username="secretariat")
    coordinator = User.objects.get(username="coordinator")
    runs = []
    for options in RUNS:
        run = estimate_run_start(
            actor=secretariat,
            title=TITLE,
            reference_year=REFERENCE_YEAR,
            table_text=TABLE,
            options=options,
        )
        estimate_run_execute(run_id=run.pk)
        runs.append(run)
    estimate_run_accept(actor=coordinator, run=EstimateRun.objects.get(pk=runs[-1].pk))
    return {"estimates": len(runs)}
