"""Choices for estimate runs: where a run is, which method and interval it uses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    NOT_ESTIMABLE = "not_estimable", _("Not estimable")
    FAILED = "failed", _("Failed")


# A run in one of these states may still change; the others are final.
ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class Method(models.TextChoices):
    """Model selection methods of ``polku.mse`` (values are its method names)."""

    STEPWISE = "stepwise", _("Stepwise (Chan, Silverman and Vincent)")
    BIC = "bic", _("Lowest BIC over all hierarchical models")
    AIC_BHS = "aic-bhs", _("Forward AIC, as in the 2014 Home Office estimate")
    MAIN = "main", _("Main effects only (lists independent)")


class IntervalMethod(models.TextChoices):
    """Interval methods of ``polku.mse`` (values are its interval names)."""

    NONE = "none", _("No interval")
    WALD = "wald", _("Wald (log-normal), given the selected model")
    PROFILE = "profile", _("Profile likelihood, given the selected model")
    BCA = "bca", _("Bootstrap (BCa), redoing the model selection in each replicate")


class Level(models.TextChoices):
    """Confidence levels offered; stored as the fraction, chosen by its percentage."""

    NINETY = "0.9", _("90%")
    NINETY_FIVE = "0.95", _("95%")
    NINETY_NINE = "0.99", _("99%")


# Short names for tables, where the full labels above would not fit.
METHOD_SHORT = {
    Method.STEPWISE: _("Stepwise"),
    Method.BIC: _("BIC"),
    Method.AIC_BHS: _("Forward AIC"),
    Method.MAIN: _("Main effects"),
}
INTERVAL_SHORT = {
    IntervalMethod.NONE: _("no interval"),
    IntervalMethod.WALD: _("Wald"),
    IntervalMethod.PROFILE: _("profile likelihood"),
    IntervalMethod.BCA: _("bootstrap"),
}
