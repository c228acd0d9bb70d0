"""Every change of a report's state while it is generated is audited, with no actor (the
worker or the task queue): the claim, a failure, a refusal by the queue and the outcome."""

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.reporting import services
from polku.reporting.choices import ReportStatus, ReportStep
from polku.reporting.models import AnnualReport

pytestmark = pytest.mark.django_db


def _events(report: AnnualReport) -> list[tuple[str, int | None]]:
    return list(
        AuditEvent.objects.filter(target_type="reporting.annualreport", target_id=str(report.pk))
        .order_by("id")
        .values_list("action", "actor_id")
    )


def test_the_worker_s_claim_and_outcome_are_audited(
    generated_report: AnnualReport, personas: Personas
) -> None:
    assert _events(generated_report) == [
        ("reporting.report.generate", personas.coordinator.pk),
        ("reporting.report.begin", None),
        ("reporting.report.generated", None),
    ]
    begin = AuditEvent.objects.get(action="reporting.report.begin")
    assert begin.before == {"status": ReportStatus.GENERATING, "step": ReportStep.QUEUED}
    assert begin.after == {"status": ReportStatus.GENERATING, "step": ReportStep.TABLES}


def test_a_report_the_queue_refuses_fails_with_an_audit_event(
    returns: None,
    personas: Personas,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the task cannot be queued the report is marked failed, and the change is audited."""
    from polku.reporting import tasks

    class RefusingQueue:
        def enqueue(self, **kwargs: object) -> None:
            raise RuntimeError("the queue is down")

    monkeypatch.setattr(tasks, "report_generate_task", RefusingQueue())
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_generate_start(actor=personas.coordinator, year=2024)
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.FAILED, "queue")
    assert _events(report) == [
        ("reporting.report.generate", personas.coordinator.pk),
        ("reporting.report.not_queued", None),
    ]
    event = AuditEvent.objects.get(action="reporting.report.not_queued")
    assert event.before is not None and event.after is not None
    assert event.before["status"] == ReportStatus.GENERATING
    assert (event.after["status"], event.after["error"]) == (ReportStatus.FAILED, "queue")


def test_a_failed_generation_records_the_change_it_made(
    generate: Callable[..., AnnualReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    from polku.reporting import documents

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "render_body", broken)
    report = generate()
    assert report.status == ReportStatus.FAILED
    event = AuditEvent.objects.get(action="reporting.report.failed")
    assert event.actor is None
    assert event.before is not None and event.after is not None
    assert event.before["status"] == ReportStatus.GENERATING
    assert event.after == {
        "status": ReportStatus.FAILED,
        "step": ReportStep.DONE,
        "error": "generation",
    }
