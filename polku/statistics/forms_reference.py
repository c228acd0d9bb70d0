"""Forms of the reference data pages: indicators, who reports them, the population.

The forms check what a person can get wrong while typing; the services check the rules
that depend on other records (overlapping years, returns that hold a breakdown).
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.actors.models import Organisation
from polku.statistics.choices_returns import DIMENSION_ORDER, Dimension, Unit
from polku.statistics.services.indicators import POPULATION_MAX

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIRST_YEAR = 1950


def _year_error(year: int | None, *, first: int, last: int) -> str | None:
    if year is not None and not first <= year <= last:
        return str(_("Enter a year from %(first)s to %(last)s.") % {"first": first, "last": last})
    return None


def _whole_number(
    label: "StrOrPromise",
    *,
    required: bool = False,
    help_text: "StrOrPromise" = "",
    max_value: int | None = None,
) -> forms.IntegerField:
    error_messages: dict[str, Any] = {
        "invalid": _("Enter a whole number, without spaces or separators."),
        "required": _("Enter a figure."),
    }
    if max_value is not None:
        error_messages["max_value"] = _("Enter a figure of %(limit_value)s or less.")
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        max_value=max_value,
        error_messages=error_messages,
    )


class IndicatorForm(forms.Form):
    """An indicator's definition; the code only when it is created."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_(
            "How returns, uploads and the API name the indicator, for example "
            "registered_victims. It cannot change later."
        ),
        error_messages={"required": _("Enter a code for the indicator.")},
    )
    name = forms.CharField(
        label=_("Name in English"),
        max_length=200,
        error_messages={"required": _("Enter the indicator's name in English.")},
    )
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200, required=False)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    definition = forms.CharField(
        label=_("Definition in English"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is counted, and what is not, so that every organisation counts alike."),
        error_messages={"required": _("Enter the indicator's definition in English.")},
    )
    definition_fi = forms.CharField(
        label=_("Definition in Finnish"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    definition_sv = forms.CharField(
        label=_("Definition in Swedish"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the unit the indicator is counted in.")},
    )
    dimensions = forms.MultipleChoiceField(
        label=_("Broken down by"),
        choices=[(str(dimension), Dimension(dimension).label) for dimension in DIMENSION_ORDER],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Each breakdown a return gives adds up to the total. Finer age bands and countries "
            "are optional for the organisations."
        ),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Where the indicator comes in lists, tables and returns; lower comes first."),
        error_messages={
            "invalid": _("Enter the order as a whole number."),
            "required": _("Enter the order as a whole number."),
            "min_value": _("Enter an order of 0 or more."),
            "max_value": _("Enter an order of 32767 or less."),
        },
    )
    is_active = forms.BooleanField(
        label=_("Collected"),
        required=False,
        initial=True,
        help_text=_(
            "A retired indicator is no longer asked for in returns nor shown in national "
            "tables and reporting templates. Its figures are kept, and it can be brought back."
        ),
    )
    # Set by the confirmation page that retiring an indicator goes through.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]

    def data_for_service(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if key != "confirmed"}


class AssignmentForm(forms.Form):
    """An organisation starts reporting an indicator."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        error_messages={
            "required": _("Choose the organisation that reports the indicator."),
            "invalid_choice": _("Choose an active organisation from the list."),
        },
    )
    from_year = _whole_number(_("First year"), required=True)
    to_year = _whole_number(
        _("Last year"), help_text=_("Leave empty while the organisation goes on reporting it.")
    )
    is_national_source = forms.BooleanField(
        label=_("Its count is the national figure (national source)"),
        required=False,
        help_text=_(
            "In these years the national figure of the indicator is this organisation's "
            "count alone; other organisations' counts are shown but not added. Until its "
            "return for a year is accepted there is no national figure for that year."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        last = timezone.localdate().year + 1
        for field in ("from_year", "to_year"):
            error = _year_error(cleaned.get(field), first=FIRST_YEAR, last=last)
            if error:
                self.add_error(field, error)
        return cleaned


class AssignmentEndForm(forms.Form):
    """The last year an organisation reports an indicator."""

    to_year = _whole_number(_("Last year it reports the indicator"), required=True)
    # Set by the confirmation that names the years whose national figure the change alters.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, from_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_year = from_year

    def clean_to_year(self) -> int:
        year: int = self.cleaned_data["to_year"]
        error = _year_error(year, first=FIRST_YEAR, last=timezone.localdate().year + 1)
        if error:
            raise forms.ValidationError(error)
        return year


class PopulationForm(forms.Form):
    """A year's resident population; the parts given must add up to the total."""

    year = _whole_number(_("Year"), required=True)
    total = _whole_number(_("Total population"), required=True, max_value=POPULATION_MAX)
    females = _whole_number(_("Females"), max_value=POPULATION_MAX)
    males = _whole_number(_("Males"), max_value=POPULATION_MAX)
    children = _whole_number(_("Children (under 18)"), max_value=POPULATION_MAX)
    adults = _whole_number(_("Adults (18 or over)"), max_value=POPULATION_MAX)
    reference_date = forms.DateField(
        label=_("Reference date"),
        required=False,
        help_text=_(
            "The day the figures count people on, for example 2024-12-31. Leave empty for 31 December."
        ),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2024-12-31.")},
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Where the figures come from, for example the statistics office's table."),
    )

    def __init__(
        self, *args: Any, year: int | None = None, taken: set[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken or set()
        if year is not None:
            # Correcting a year: the year is in the page's address, not typed.
            del self.fields["year"]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        error = _year_error(year, first=FIRST_YEAR, last=timezone.localdate().year)
        if error:
            raise forms.ValidationError(error)
        if year in self.taken:
            raise forms.ValidationError(
                _(
                    "The population of %(year)s is already recorded; correct it from the list instead."
                )
                % {"year": year}
            )
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in ("total", "females", "males", "children", "adults"):
            value = cleaned.get(field)
            if value is not None and value < 0:
                self.add_error(field, _("Enter a figure of 0 or more."))
        return cleaned


class NationalSourceForm(forms.Form):
    """Whether the confirmed change makes the organisation the national source or stops it."""

    make = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
