"""Writes of reporting: generating a report version, publishing it, and the rapporteur's
commentary. Each runs in one transaction with its audit event.

The generating worker's progress counters (the step it is on and how many steps are done)
are written as it goes and are not audited: they say how far the worker is, not anything
about the report. Claiming the report, failing and finishing it are audited, with no actor
(the worker or the task queue).
"""

import logging
import time
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Membership
from polku.audit.services import audit_write, snapshot
from polku.reporting import documents, selectors
from polku.reporting.choices import REPORT_LANGUAGES, ReportStatus, ReportStep
from polku.reporting.models import AnnualReport, RapporteurCommentary, ReportDocument
from polku.reporting.permissions import can_generate, can_publish, can_write_commentary
from polku.reporting.snapshot import build_snapshot

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
# What the audit log keeps of a report: never the data (it is in the report itself).
REPORT_FIELDS = ["year", "version", "status", "threshold", "published_by", "published_at"]


def report_generate_start(*, actor: User, year: int) -> AnnualReport:
    """Starts a new version of the year's annual report; the task worker writes it."""
    if not can_generate(actor):
        raise PermissionDenied
    if year not in selectors.report_years():
        raise ValidationError(
            {"year": _("There are no accepted returns for %(year)s yet.") % {"year": year}}
        )
    with transaction.atomic():
        latest = (
            AnnualReport.objects.select_for_update()
            .filter(year=year)
            .aggregate(latest=Max("version"))["latest"]
        )
        report = AnnualReport.objects.create(
            year=year,
            version=(latest or 0) + 1,
            threshold=selectors.threshold(),
            requested_by=actor,
        )
        audit_write(
            actor=actor,
            action="reporting.report.generate",
            target=report,
            after=snapshot(report, REPORT_FIELDS),
        )
        report_id = report.pk
        transaction.on_commit(lambda: _enqueue(report_id))
    return report


FAILURE_FIELDS = ["status", "step", "error"]


def _enqueue(report_id: int) -> None:
    from polku.reporting.tasks import report_generate_task

    try:
        report_generate_task.enqueue(report_id=report_id)
    except Exception:
        logger.exception("Annual report %s could not be queued", report_id)
        _fail_not_queued(report_id)


def _fail_not_queued(report_id: int) -> None:
    """Marks a report the task queue refused as failed, audited with no actor (the system)."""
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .defer("data")
            .filter(pk=report_id, status=ReportStatus.GENERATING)
            .first()
        )
        if report is None:
            return
        before = snapshot(report, FAILURE_FIELDS)
        report.status = ReportStatus.FAILED
        report.error = "queue"
        report.save(update_fields=["status", "error"])
        audit_write(
            actor=None,
            action="reporting.report.not_queued",
            target=report,
            before=before,
            after=snapshot(report, FAILURE_FIELDS),
            detail={"year": report.year, "version": report.version},
        )


class Progress:
    """Counts the steps done and writes them at most every half second (and the last)."""

    def __init__(self, report_id: int, total: int, *, clock: Callable[[], float] = time.monotonic):
        self.report_id = report_id
        self.total = total
        self.done = 0
        self.clock = clock
        self.last: float | None = None

    def step(self, step: str) -> None:
        AnnualReport.objects.filter(pk=self.report_id).update(step=step)

    def tick(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if (
            self.done < self.total
            and self.last is not None
            and now - self.last < PROGRESS_EVERY_SECONDS
        ):
            return
        self.last = now
        AnnualReport.objects.filter(pk=self.report_id, status=ReportStatus.GENERATING).update(
            progress_done=min(self.done, self.total), progress_total=self.total
        )


def report_generate_execute(*, report_id: int) -> str:
    """Writes a queued report: protected tables, then each language's page and PDF.

    The report is claimed with a conditional update, so a task run twice writes it once.
    Returns the report's final status ("skipped" if it was not waiting).
    """
    with transaction.atomic():
        claimed = AnnualReport.objects.filter(
            pk=report_id, status=ReportStatus.GENERATING, step=ReportStep.QUEUED
        ).update(step=ReportStep.TABLES, progress_done=0)
        if not claimed:
            return "skipped"
        report = AnnualReport.objects.defer("data").get(pk=report_id)
        audit_write(
            actor=None,
            action="reporting.report.begin",
            target=report,
            before={"status": ReportStatus.GENERATING, "step": ReportStep.QUEUED},
            after=snapshot(report, ["status", "step"]),
        )
    try:
        indicators = len(selectors.vocabulary().indicators)
        progress = Progress(report_id, total=indicators + 1)
        data = build_snapshot(
            year=report.year,
            threshold=report.threshold,
            progress=lambda done, _total: progress.tick(),
        )
        charts = documents.chart_count(data)
        progress.total = progress.done + len(REPORT_LANGUAGES) * (charts + 1)
        progress.step(ReportStep.CHARTS)
        written: dict[str, tuple[str, bytes]] = {}
        for language in REPORT_LANGUAGES:
            body = documents.render_body(data, language=language, tick=progress.tick)
            progress.step(ReportStep.DOCUMENTS)
            pdf = documents.render_pdf(snapshot=data, body=body, language=language)
            progress.tick()
            written[language] = (body, pdf)
            progress.step(ReportStep.CHARTS)
    except Exception:
        logger.exception("Annual report %s could not be generated", report_id)
        with transaction.atomic():
            failed = AnnualReport.objects.select_for_update().defer("data").get(pk=report_id)
            before = snapshot(failed, FAILURE_FIELDS)
            failed.status = ReportStatus.FAILED
            failed.step = ReportStep.DONE
            failed.error = "generation"
            failed.save(update_fields=FAILURE_FIELDS)
            audit_write(
                actor=None,
                action="reporting.report.failed",
                target=failed,
                before=before,
                after=snapshot(failed, FAILURE_FIELDS),
                detail={"year": report.year, "version": report.version},
            )
        return ReportStatus.FAILED
    with transaction.atomic():
        for language, (body, pdf) in written.items():
            ReportDocument.objects.create(report=report, language=language, html=body, pdf=pdf)
        report.data = data
        report.status = ReportStatus.READY
        report.step = ReportStep.DONE
        report.progress_done = report.progress_total = progress.total
        report.generated_at = timezone.now()
        report.save(
            update_fields=[
                "data",
                "status",
                "step",
                "progress_done",
                "progress_total",
                "generated_at",
            ]
        )
        audit_write(
            actor=None,
            action="reporting.report.generated",
            target=report,
            after=snapshot(report, REPORT_FIELDS),
            detail={"languages": list(written), "withheld": _withheld(data)},
        )
    return ReportStatus.READY


def _withheld(data: dict[str, object]) -> int:
    indicators = data.get("indicators", [])
    assert isinstance(indicators, list)
    return sum(
        1
        for entry in indicators
        for table in entry["tables"]
        for cell in table["cells"]
        if cell["status"] != "published"
    )


def report_publish(*, actor: User, report: AnnualReport) -> AnnualReport:
    """Publishes a ready version: the public sees it, and it becomes the year's latest."""
    if not can_publish(actor, report):
        raise PermissionDenied
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().defer("data").get(pk=report.pk)
        if locked.status != ReportStatus.READY:
            raise ValidationError(_("Only a report that is ready can be published."))
        before = snapshot(locked, REPORT_FIELDS)
        locked.status = ReportStatus.PUBLISHED
        locked.published_by = actor
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_by", "published_at"])
        audit_write(
            actor=actor,
            action="reporting.report.publish",
            target=locked,
            before=before,
            after=snapshot(locked, REPORT_FIELDS),
        )
    report.status, report.published_by, report.published_at = (
        locked.status,
        locked.published_by,
        locked.published_at,
    )
    return report


def _rapporteur_organisation(actor: User) -> int:
    from polku.accounts.choices import Role

    membership = (
        Membership.objects.filter(
            user_id=actor.pk, role=Role.RAPPORTEUR, is_active=True, organisation__is_active=True
        )
        .order_by("pk")
        .values_list("organisation_id", flat=True)
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return int(membership)


def commentary_save(
    *,
    actor: User,
    report: AnnualReport,
    text: str,
    text_fi: str,
    text_sv: str,
    publish: bool,
) -> RapporteurCommentary:
    """Saves the rapporteur's commentary on a report, and publishes it when asked.

    Only the rapporteur writes it; once published it shows beside the report wherever the
    report is shown. Publishing needs at least one language's text.
    """
    if not can_write_commentary(actor, report):
        raise PermissionDenied
    texts = {"text": text.strip(), "text_fi": text_fi.strip(), "text_sv": text_sv.strip()}
    if publish and not any(texts.values()):
        raise ValidationError({"text": _("Write the commentary in at least one language.")})
    with transaction.atomic():
        commentary = RapporteurCommentary.objects.select_for_update().filter(report=report).first()
        before = snapshot(commentary) if commentary else None
        if commentary is None:
            commentary = RapporteurCommentary(
                report=report, organisation_id=_rapporteur_organisation(actor), author=actor
            )
        commentary.text, commentary.text_fi, commentary.text_sv = (
            texts["text"],
            texts["text_fi"],
            texts["text_sv"],
        )
        commentary.author = actor
        if publish and commentary.published_at is None:
            commentary.published_at = timezone.now()
        commentary.save()
        audit_write(
            actor=actor,
            action="reporting.commentary.publish" if publish else "reporting.commentary.save",
            target=commentary,
            before=before,
            after=snapshot(commentary),
        )
    return commentary
