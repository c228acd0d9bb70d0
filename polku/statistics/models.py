"""Multiple Systems Estimation runs: the protected table, the options, the progress and the result.

The capture-history table is small-cell data: it is kept here, in the database, as the
validated CSV text, is read only through audited selectors, and never leaves the scope
it was uploaded to (see docs/adr/0013-estimates-in-the-product.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.core.models import TrackedModel
from polku.statistics.choices import (
    ACTIVE_STATUSES,
    INTERVAL_SHORT,
    METHOD_SHORT,
    IntervalMethod,
    Method,
    RunStatus,
)


class EstimateRun(TrackedModel):
    """One estimate of a hidden population from one capture-history table, with one method.

    ``created_by`` is who ran it. Runs made by the coordinator or the secretariat are
    ``for_coordination`` and visible to both; other runs stay within ``organisation``.
    """

    title = models.CharField(_("title"), max_length=200)
    reference_year = models.PositiveSmallIntegerField(_("reference year"))
    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="estimate_runs",
    )
    for_coordination = models.BooleanField(_("shared with the coordination"), default=False)
    rerun_of = models.ForeignKey(
        "self",
        verbose_name=_("run again from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
    )

    # The table and what may be said about it without its cells.
    lists = models.JSONField(_("lists"), default=list)
    list_totals = models.JSONField(_("people on each list"), default=list)
    n_histories = models.PositiveIntegerField(_("capture histories"), default=0)
    n_observed = models.PositiveIntegerField(_("people observed"), default=0)
    table_csv = models.TextField(_("capture-history table"))
    table_digest = models.CharField(_("table fingerprint"), max_length=64)

    # Options, including the seed actually used, so that a run can be repeated exactly.
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    pthresh = models.FloatField(_("p-value threshold"), default=0.02)
    maxorder = models.PositiveSmallIntegerField(_("highest interaction order"), null=True)
    interval_method = models.CharField(_("interval"), max_length=20, choices=IntervalMethod.choices)
    level = models.FloatField(_("confidence level"), default=0.95)
    nboot = models.PositiveIntegerField(_("bootstrap replicates"), default=1000)
    seed = models.PositiveBigIntegerField(_("random seed"), null=True)

    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True)
    finished_at = models.DateTimeField(_("finished at"), null=True)

    estimate = models.FloatField(_("estimate"), null=True)
    interval_low = models.FloatField(_("lower limit"), null=True)
    interval_high = models.FloatField(_("upper limit"), null=True)
    profile_mle = models.FloatField(_("profile likelihood maximum"), null=True)
    model_terms = models.JSONField(_("model interactions"), default=list)
    empty_overlaps = models.JSONField(_("empty overlaps"), default=list)
    check_code = models.PositiveSmallIntegerField(_("existence and identifiability"), null=True)
    diagnostics = models.JSONField(_("diagnostics"), default=dict)
    warnings = models.JSONField(_("warnings"), default=list)
    error_code = models.CharField(_("error"), max_length=40, blank=True)
    error_detail = models.TextField(_("error detail"), blank=True)

    for_annual_report = models.BooleanField(_("in the annual report"), default=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True)

    class Meta:
        verbose_name = _("estimate run")
        verbose_name_plural = _("estimate runs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["for_coordination", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["table_digest"]),
            models.Index(
                fields=["reference_year"],
                condition=Q(for_annual_report=True),
                name="statistics_reported_year_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(for_annual_report=False)
                | Q(
                    status=RunStatus.FINISHED,
                    estimate__isnull=False,
                    interval_low__isnull=False,
                    interval_high__isnull=False,
                    accepted_at__isnull=False,
                ),
                name="statistics_reported_run_has_estimate",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statistics:estimate_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        """Queued or running: the result is still to come."""
        return self.status in ACTIVE_STATUSES

    @property
    def has_interval(self) -> bool:
        return self.interval_low is not None and self.interval_high is not None

    @property
    def can_be_reported(self) -> bool:
        """Finished with an estimate and an interval: what the annual report can show."""
        return self.status == RunStatus.FINISHED and self.estimate is not None and self.has_interval

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def model_label(self) -> str:
        """The model as the estimator names it, e.g. ``main + LA:NG + NG:GP``."""
        return " + ".join(["main", *(":".join(term) for term in self.model_terms)])

    @property
    def method_short(self) -> str:
        return str(METHOD_SHORT.get(Method(self.method), self.method))

    @property
    def interval_short(self) -> str:
        return str(INTERVAL_SHORT.get(IntervalMethod(self.interval_method), self.interval_method))

    @property
    def unobserved(self) -> float | None:
        """The estimated number of people on no list."""
        return None if self.estimate is None else self.estimate - self.n_observed

    @property
    def level_percent(self) -> str:
        return f"{round(self.level * 100):d}%"
