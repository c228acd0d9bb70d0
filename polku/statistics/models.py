"""Multiple Systems Estimation runs: the protected table, the options, the progress and the result.

The capture-history table is small-cell data: it is kept here, in the database, as the
validated CSV text, is read only through audited selectors, and never leaves the scope
it was uploaded to (see docs/adr/0013-estimates-in-the-product.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.actors.models import name_in_active_language
from polku.core.models import TrackedModel
from polku.statistics.choices import (
    ACTIVE_STATUSES,
    INTERVAL_SHORT,
    METHOD_SHORT,
    IntervalMethod,
    Method,
    RunStatus,
)
from polku.statistics.choices_returns import (
    DIMENSION_ORDER,
    EDITABLE_STATUSES,
    Dimension,
    ReturnEventKind,
    ReturnStatus,
    Unit,
)
from polku.statistics.wording import years_label


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


# ---------------------------------------------------------------------------------------
# Indicators and the authorities' returns (see docs/adr/0016-statistics-returns.md).
# ---------------------------------------------------------------------------------------


class Indicator(TrackedModel):
    """Something counted every year, with its definition, unit and the breakdowns it has."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name in English"), max_length=200)
    name_fi = models.CharField(_("name in Finnish"), max_length=200, blank=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    definition = models.TextField(_("definition in English"))
    definition_fi = models.TextField(_("definition in Finnish"), blank=True)
    definition_sv = models.TextField(_("definition in Swedish"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.PERSONS)
    dimensions = models.JSONField(
        _("broken down by"),
        default=list,
        help_text=_("Codes of the dimensions this indicator is broken down by."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("statistics:indicator_detail", kwargs={"code": self.code})

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back to English."""
        return name_in_active_language(self.name, fi=self.name_fi, sv=self.name_sv)

    @property
    def display_definition(self) -> str:
        """The definition in the active language, falling back to English."""
        return name_in_active_language(
            self.definition, fi=self.definition_fi, sv=self.definition_sv
        )

    @property
    def ordered_dimensions(self) -> list[str]:
        """The indicator's dimensions in the order breakdowns are shown."""
        return [dimension for dimension in DIMENSION_ORDER if dimension in self.dimensions]


class ReportingAssignment(TrackedModel):
    """An organisation reports an indicator every year from ``from_year`` (to ``to_year``)."""

    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reporting_assignments",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, help_text=_("Leave empty while it goes on.")
    )
    is_national_source = models.BooleanField(
        _("national source"),
        default=False,
        help_text=_(
            "This organisation's count is the national figure for the indicator in these "
            "years; other organisations' counts of it are shown but not added."
        ),
    )

    class Meta:
        verbose_name = _("reporting assignment")
        verbose_name_plural = _("reporting assignments")
        ordering = ["organisation__name", "indicator__order", "from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "from_year"],
                name="statistics_assignment_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gte=F("from_year")),
                name="statistics_assignment_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.indicator}"

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)

    @property
    def years_label(self) -> str:
        """The assignment's years in words, as every page and message says them."""
        return years_label(self.from_year, self.to_year)


class ReturnValidator(TrackedModel):
    """A person designated to validate their organisation's returns before the coordination.

    Kept by the coordinator and administrators. The validator must not be the person who
    submitted the return they validate.
    """

    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="return_validators",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="return_validations",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("return validator")
        verbose_name_plural = _("return validators")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="statistics_validator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class Return(TrackedModel):
    """One organisation's figures for one year, and where they are in the approval chain.

    ``revision`` starts at 1 and grows each time a sent return is reopened; the figures of
    earlier revisions are kept in ``ReturnRevision``.
    """

    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="statistics_returns",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    # The person answerable for the submission: who submitted it in Polku, or the person who
    # issued the API token it was submitted with. The four-eyes rule keeps them from
    # validating it.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_through = models.ForeignKey(
        "api.ApiToken",
        verbose_name=_("submitted through API token"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    comments = models.TextField(_("comments when returned"), blank=True)
    confirmed_warnings = models.JSONField(
        _("warnings confirmed by the submitter"),
        default=list,
        help_text=_("The warnings, as text, the submitter confirmed before submitting."),
    )

    class Meta:
        verbose_name = _("statistics return")
        verbose_name_plural = _("statistics returns")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="statistics_return_one_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReturnStatus.ACCEPTED) | Q(accepted_at__isnull=False),
                name="statistics_accepted_return_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="statistics_return_status_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("statistics:return_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        """A draft or a returned return may still be changed by its organisation."""
        return self.status in EDITABLE_STATUSES


class ReturnFigure(models.Model):
    """One number of a return: an indicator's total, or one category of one breakdown.

    ``dimension`` and ``category`` are both empty for the total. For forms of exploitation
    ``category`` is the taxonomy code and ``exploitation_form`` the category of the typology
    version the figure was given in; sums map older versions forward through ``replaces``.
    """

    statistics_return = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="figures"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures"
    )
    dimension = models.CharField(
        _("dimension"), max_length=30, choices=Dimension.choices, blank=True
    )
    category = models.CharField(_("category"), max_length=60, blank=True)
    exploitation_form = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("form of exploitation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["indicator__order", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["statistics_return", "indicator", "dimension", "category"],
                name="statistics_figure_unique_cell",
            ),
            models.CheckConstraint(
                condition=Q(dimension="", category="") | (~Q(dimension="") & ~Q(category="")),
                name="statistics_figure_total_has_no_category",
            ),
            models.CheckConstraint(
                condition=Q(exploitation_form__isnull=True)
                | Q(dimension=Dimension.EXPLOITATION_FORM),
                name="statistics_figure_form_only_for_forms",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.dimension}={self.category}" if self.dimension else "total"
        return f"{self.indicator.code} {where}: {self.value}"

    @property
    def is_total(self) -> bool:
        return not self.dimension


class ReturnEvent(models.Model):
    """One step in a return's timeline: who did what, when, with which comment."""

    statistics_return = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=ReturnEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation whose API token sent the figures."),
    )
    token = models.ForeignKey(
        "api.ApiToken",
        verbose_name=_("API token"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The API token the step was taken with; its issuer is the actor."),
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("return event")
        verbose_name_plural = _("return events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.statistics_return} — {self.get_kind_display()}"


class ReturnRevision(models.Model):
    """The figures a return held before it was reopened, and why it was reopened.

    ``figures`` is a list of ``{"indicator", "dimension", "category", "value"}``.
    """

    statistics_return = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="revisions"
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(_("status then"), max_length=20, choices=ReturnStatus.choices)
    reason = models.TextField(_("reason"))
    figures = models.JSONField(_("figures then"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reopened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("return revision")
        verbose_name_plural = _("return revisions")
        ordering = ["statistics_return", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["statistics_return", "revision"], name="statistics_revision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statistics_return} r{self.revision}"


class Population(models.Model):
    """The resident population at the end of a year: the denominator of rates per 100,000."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    reference_date = models.DateField(_("reference date"))
    total = models.PositiveIntegerField(_("total"))
    males = models.PositiveIntegerField(_("males"), null=True, blank=True)
    females = models.PositiveIntegerField(_("females"), null=True, blank=True)
    children = models.PositiveIntegerField(_("children (under 18)"), null=True, blank=True)
    adults = models.PositiveIntegerField(_("adults (18 or over)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.total}"
