"""Forms of the reporting pages: choosing a table, a year, and the rapporteur's words."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.reporting.outputs import TEMPLATES
from polku.reporting.selectors import Vocabulary, pick

PROTECTED = "protected"
INTERNAL = "internal"


class NationalTableForm(forms.Form):
    """Year, indicator and breakdown of a national table, and (for the coordination)
    whether to see it before disclosure control."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    indicator = forms.ChoiceField(label=_("Indicator"))
    dimension = forms.ChoiceField(label=_("Broken down by"), required=False)
    version = forms.ChoiceField(
        label=_("Version"),
        required=False,
        choices=[
            (PROTECTED, _("Protected, as published")),
            (INTERNAL, _("Unprotected (internal to the secretariat)")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        years: list[int],
        words: Vocabulary,
        internal_allowed: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (year, str(year)) for year in reversed(years)
        ]
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [
            (code, indicator.display_name) for code, indicator in words.indicators.items()
        ]
        dimensions: list[str] = []
        for indicator in words.indicators.values():
            dimensions.extend(d for d in indicator.ordered_dimensions if d not in dimensions)
        cast(forms.ChoiceField, self.fields["dimension"]).choices = [("", _("Total only"))] + [
            (dimension, pick(words.dimension_name(dimension))) for dimension in dimensions
        ]
        if not internal_allowed:
            del self.fields["version"]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (year, str(year)) for year in reversed(years)
        ]


class GenerateForm(YearForm):
    """The year of the report to generate."""

    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        help_text=_("Only years with accepted returns can be reported on."),
    )


class CommentaryForm(forms.Form):
    """The rapporteur's commentary in each language; any may be left empty."""

    text = forms.CharField(
        label=_("Commentary in English"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    text_fi = forms.CharField(
        label=_("Commentary in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    text_sv = forms.CharField(
        label=_("Commentary in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    hide_optional = True


TEMPLATE_CHOICES = [(template.code, template.name) for template in TEMPLATES]
