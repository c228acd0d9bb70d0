"""Starting an estimate queues it after commit; the task estimates, reports progress and stores
the result, "not estimable" with its reason, or a failure with a safe message."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.statistics import services
from polku.statistics.choices import IntervalMethod, Method, RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.services import EstimateOptions, ProgressReporter
from polku.statistics.services import execution as execution_module
from polku.statistics.tests.factories import SMALL_TABLE, make_run, reference_csv
from polku.statistics.wording import error_text


def _start(
    personas: Personas,
    capture: Any,
    *,
    table: str,
    user: str = "secretariat",
    **options: Any,
) -> EstimateRun:
    with capture(execute=True):
        run = services.estimate_run_start(
            actor=getattr(personas, user),
            title="Victims identified by five agencies",
            reference_year=2024,
            table_text=table,
            options=EstimateOptions(**options),
        )
    run.refresh_from_db()
    return run


def test_it_reproduces_the_uk_five_list_stepwise_estimate(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """UKdat_5, stepwise with Wald: 11312.99 (9884.4, 13027.4) with the six published pairs."""
    run = _start(
        personas,
        django_capture_on_commit_callbacks,
        table=reference_csv("UKdat_5"),
        method=Method.STEPWISE,
        interval=IntervalMethod.WALD,
    )
    assert run.status == RunStatus.FINISHED
    assert run.estimate == pytest.approx(11312.99, abs=0.005)
    assert run.interval_low == pytest.approx(9884.4, abs=0.05)
    assert run.interval_high == pytest.approx(13027.4, abs=0.05)
    assert {":".join(term) for term in run.model_terms} == {
        "LA:NG",
        "NG:GP",
        "PFNCA:GP",
        "LA:PFNCA",
        "GO:GP",
        "NG:GO",
    }
    assert run.n_observed == 2744
    assert run.lists == ["LA", "NG", "PFNCA", "GO", "GP"]
    assert sum(run.list_totals) >= run.n_observed
    assert run.check_code == 0
    assert run.diagnostics["check"]["lp_optimum"] > 0
    assert len(run.diagnostics["selection"]["steps"]) == 6
    assert run.seed is None
    assert run.progress_done == run.progress_total == 1
    assert run.started_at is not None and run.finished_at is not None
    assert run.organisation == personas.justice
    assert run.for_coordination


def test_it_records_each_step_in_the_audit_log(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Start, the worker's claim and its read of the table, and the outcome are all audited."""
    run = _start(personas, django_capture_on_commit_callbacks, table=SMALL_TABLE, method="main")
    events = list(
        AuditEvent.objects.filter(target_id=str(run.pk))
        .order_by("id")
        .values_list("kind", "action", "actor_id")
    )
    assert events == [
        ("write", "statistics.estimate_run.start", personas.secretariat.pk),
        ("write", "statistics.estimate_run.begin", None),
        ("access", "statistics.estimate_run.table_read", None),
        ("write", "statistics.estimate_run.finish", None),
    ]
    start = AuditEvent.objects.get(target_id=str(run.pk), action="statistics.estimate_run.start")
    assert start.after is not None
    assert "table_csv" not in start.after


def test_a_run_the_queue_refuses_fails_with_an_audit_event(
    personas: Personas, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the task cannot be queued the run is marked failed, and the change is audited."""
    from polku.statistics import tasks

    class RefusingQueue:
        def enqueue(self, **kwargs: object) -> None:
            raise RuntimeError("the queue is down")

    monkeypatch.setattr(tasks, "estimate_run_task", RefusingQueue())
    run = _start(personas, django_capture_on_commit_callbacks, table=SMALL_TABLE, method="main")
    assert run.status == RunStatus.FAILED
    assert run.error_code == "not_queued"
    assert run.finished_at is not None
    event = AuditEvent.objects.get(
        target_id=str(run.pk), action="statistics.estimate_run.not_queued"
    )
    assert event.kind == AuditEvent.Kind.WRITE
    assert event.actor is None
    assert event.before is not None and event.after is not None
    assert event.before["status"] == RunStatus.QUEUED
    assert event.after["status"] == RunStatus.FAILED
    assert event.after["error_code"] == "not_queued"


def test_it_gives_the_main_effects_estimate(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """UKdat_5, main effects: 13444.13, Wald (11985.2, 15133.4), no interactions."""
    run = _start(
        personas, django_capture_on_commit_callbacks, table=reference_csv("UKdat_5"), method="main"
    )
    assert run.estimate == pytest.approx(13444.13, abs=0.005)
    assert (run.interval_low, run.interval_high) == pytest.approx((11985.2, 15133.4), abs=0.05)
    assert run.model_terms == []


def test_it_runs_the_bootstrap_with_progress_and_a_recorded_seed(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A BCa run without a seed gets one, records it, and repeating it gives the same interval."""
    first = _start(
        personas,
        django_capture_on_commit_callbacks,
        table=reference_csv("UKdat_5"),
        method="main",
        interval=IntervalMethod.BCA,
        nboot=100,
    )
    assert first.status == RunStatus.FINISHED
    assert first.seed is not None
    assert first.interval_low is not None and first.interval_high is not None
    assert first.estimate is not None
    assert first.interval_low < first.estimate < first.interval_high
    # 100 replicates and the 18-history jackknife.
    assert first.progress_total == 118
    assert first.progress_done == first.progress_total
    assert first.diagnostics["bootstrap"]["replicates"] == 100
    with django_capture_on_commit_callbacks(execute=True):
        again = services.estimate_run_rerun(
            actor=personas.coordinator,
            run=first,
            options=EstimateOptions(
                method="main", interval=IntervalMethod.BCA, nboot=100, seed=first.seed
            ),
        )
    again.refresh_from_db()
    assert again.seed == first.seed
    assert (again.interval_low, again.interval_high) == (first.interval_low, first.interval_high)
    assert again.rerun_of == first


def test_it_stores_a_model_without_an_estimate_as_not_estimable(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Two lists that nobody shares say nothing about the unseen: no number, and why."""
    run = _start(
        personas,
        django_capture_on_commit_callbacks,
        table="A,B,count\n1,0,40\n0,1,25\n",
        method="main",
    )
    assert run.status == RunStatus.NOT_ESTIMABLE
    assert run.estimate is None
    assert run.interval_low is None and run.interval_high is None
    assert run.check_code in (1, 3)
    assert not run.can_be_reported


def test_it_stores_an_exception_as_a_failure_with_a_safe_message(
    personas: Personas,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever breaks inside the estimator, the run says it failed and shows nothing internal."""

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internal detail /srv/polku")

    monkeypatch.setattr(execution_module, "estimate_population", broken)
    run = _start(personas, django_capture_on_commit_callbacks, table=SMALL_TABLE)
    assert run.status == RunStatus.FAILED
    assert run.error_code == "internal"
    assert run.error_detail == ""
    assert "secret" not in error_text(run.error_code)
    assert run.estimate is None


def test_it_estimates_a_queued_run_once(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A task that runs twice leaves the finished run as it was."""
    run = _start(personas, django_capture_on_commit_callbacks, table=SMALL_TABLE)
    assert services.estimate_run_execute(run_id=run.pk) == "skipped"
    assert services.estimate_run_execute(run_id=run.pk + 1000) == "skipped"


def test_it_writes_progress_at_most_every_half_second(personas: Personas) -> None:
    """Calls within half a second of the last write are dropped, except the last step."""
    run = make_run(
        created_by=personas.secretariat,
        organisation=personas.justice,
        status=RunStatus.RUNNING,
        progress_done=0,
        progress_total=1000,
    )
    now = [100.0]
    reporter = ProgressReporter(run.pk, clock=lambda: now[0])
    reporter(64, 1000)
    now[0] += 0.2
    reporter(128, 1000)
    run.refresh_from_db()
    assert (run.progress_done, reporter.writes) == (64, 1)
    now[0] += 0.4
    reporter(192, 1000)
    run.refresh_from_db()
    assert (run.progress_done, reporter.writes) == (192, 2)
    now[0] += 0.1
    reporter(1000, 1000)
    run.refresh_from_db()
    assert (run.progress_done, reporter.writes) == (1000, 3)


@pytest.mark.parametrize(
    ("table", "options", "field", "words"),
    [
        (SMALL_TABLE, {"maxorder": 3}, "maxorder", "between 1 and 2"),
        (SMALL_TABLE, {"interval": "bca", "nboot": 50}, "nboot", "between 100 and"),
        (SMALL_TABLE, {"pthresh": 0}, "pthresh", "above 0"),
        (SMALL_TABLE, {"method": "guess"}, "method", "Choose a method"),
        (
            "A,B,C,D,E,F,G,count\n1,0,0,0,0,0,0,3\n0,1,0,0,0,0,0,3\n0,0,1,0,0,0,0,3\n"
            "0,0,0,1,0,0,0,3\n0,0,0,0,1,0,0,3\n0,0,0,0,0,1,0,3\n0,0,0,0,0,0,1,3\n",
            {"method": "bic"},
            "method",
            "limited to 6 lists",
        ),
    ],
)
def test_it_refuses_options_the_table_cannot_take(
    personas: Personas, table: str, options: dict[str, Any], field: str, words: str
) -> None:
    """Options that cannot work on the table are refused by field, and nothing is queued."""
    with pytest.raises(ValidationError) as caught:
        services.estimate_run_start(
            actor=personas.secretariat,
            title="Test",
            reference_year=2024,
            table_text=table,
            options=EstimateOptions(**options),
        )
    assert words in " ".join(caught.value.message_dict[field])
    assert not EstimateRun.objects.exists()


@pytest.mark.parametrize("persona", ["practitioner", "decisionmaker", "admin", "outsider"])
def test_it_lets_only_the_estimating_roles_start(personas: Personas, persona: str) -> None:
    """Practitioners, decision-makers, administrators and outsiders cannot run estimates."""
    with pytest.raises(PermissionDenied):
        services.estimate_run_start(
            actor=getattr(personas, persona),
            title="Test",
            reference_year=2024,
            table_text=SMALL_TABLE,
            options=EstimateOptions(),
        )


def test_it_keeps_a_data_providers_run_in_its_organisation(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A data provider's run belongs to its organisation, not to the coordination."""
    run = _start(
        personas, django_capture_on_commit_callbacks, table=SMALL_TABLE, user="dataprovider"
    )
    assert not run.for_coordination
    assert run.organisation.name == "Statistics Office"
