"""Forms to upload a capture-history table, choose how to estimate, and filter runs."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.mse.intervals import DEFAULT_NBOOT
from polku.mse.selection import DEFAULT_PTHRESH
from polku.statistics.choices import IntervalMethod, Level, Method, RunStatus
from polku.statistics.services import EstimateOptions, decode_upload
from polku.statistics.services.tables import MAX_UPLOAD_BYTES


class EstimateOptionsForm(forms.Form):
    """How to estimate: the method, the interval and the advanced options."""

    method = forms.ChoiceField(
        label=_("Method"),
        choices=Method.choices,
        initial=Method.STEPWISE,
        widget=forms.RadioSelect,
        help_text=_(
            "How the model of the lists' overlaps is chosen. Stepwise suits most tables; "
            "compare it with another method before relying on one figure."
        ),
    )
    interval = forms.ChoiceField(
        label=_("Interval"),
        choices=IntervalMethod.choices,
        initial=IntervalMethod.WALD,
        widget=forms.RadioSelect,
        help_text=_(
            "Wald and profile likelihood take seconds. The bootstrap takes minutes and is the "
            "only one that allows for the uncertainty of choosing the model."
        ),
    )
    level = forms.ChoiceField(
        label=_("Confidence level"),
        choices=Level.choices,
        initial=Level.NINETY_FIVE,
    )
    pthresh = forms.FloatField(
        label=_("Stepwise threshold"),
        required=False,
        initial=DEFAULT_PTHRESH,
        min_value=0.0001,
        max_value=1,
        help_text=_(
            "The stepwise method adds a pair of lists while its overlap's p-value is below "
            "this. The published default is 0.02."
        ),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    maxorder = forms.IntegerField(
        label=_("Highest interaction order"),
        required=False,
        min_value=1,
        help_text=_(
            "For the search over all models: 2 allows overlaps of pairs of lists, 3 of three "
            "lists. Leave empty for the usual choice for the number of lists."
        ),
    )
    nboot = forms.IntegerField(
        label=_("Bootstrap replicates"),
        required=False,
        initial=DEFAULT_NBOOT,
        min_value=100,
        max_value=10_000,
        help_text=_("For the bootstrap interval only. 1,000 is usual; more takes longer."),
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        help_text=_(
            "For the bootstrap only. Leave empty for a random seed; the seed used is recorded, "
            "so the run can be repeated exactly."
        ),
    )

    ADVANCED = ("level", "pthresh", "maxorder", "nboot", "seed")

    def advanced_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ADVANCED]

    def advanced_has_errors(self) -> bool:
        return any(self[name].errors for name in self.ADVANCED)

    def to_options(self) -> EstimateOptions:
        data = self.cleaned_data
        return EstimateOptions(
            method=data["method"],
            interval=data["interval"],
            pthresh=DEFAULT_PTHRESH if data["pthresh"] is None else data["pthresh"],
            maxorder=data["maxorder"],
            nboot=DEFAULT_NBOOT if data["nboot"] is None else data["nboot"],
            seed=data["seed"],
            level=float(data["level"]),
        )


def _last_year() -> int:
    return timezone.localdate().year - 1


class EstimateUploadForm(EstimateOptionsForm):
    """A new estimate: the table, what it is about, and how to estimate."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What is estimated, e.g. “Victims of labour exploitation”."),
    )
    reference_year = forms.IntegerField(
        label=_("Reference year"),
        initial=_last_year,
        help_text=_("The year the lists cover."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    table = forms.FileField(
        label=_("Capture-history table"),
        help_text=_(
            "A CSV file with one column per list (1 if the people are on the list, 0 if not) "
            "and a column named “count”. Each line is one combination of lists and how many "
            "people have it."
        ),
    )

    field_order = ["title", "reference_year", "table", "method", "interval"]

    def clean_table(self) -> str:
        upload: UploadedFile[Any] = self.cleaned_data["table"]
        # Read no more than the limit, plus one byte to tell that it was passed.
        return decode_upload(upload.read(MAX_UPLOAD_BYTES + 1))


class EstimateRerunForm(EstimateOptionsForm):
    """The same table again, with other options."""

    title = forms.CharField(label=_("Title"), max_length=200)

    field_order = ["title", "method", "interval"]

    @classmethod
    def initial_from(cls, run: Any) -> dict[str, Any]:
        """The run's options, with the method changed to another one to compare."""
        others = [value for value in Method.values if value != run.method]
        return {
            "title": run.title,
            "method": others[0] if others else run.method,
            "interval": run.interval_method,
            "level": str(run.level),
            "pthresh": run.pthresh,
            "maxorder": run.maxorder,
            "nboot": run.nboot,
            "seed": run.seed,
        }


class EstimateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *RunStatus.choices],
    )
