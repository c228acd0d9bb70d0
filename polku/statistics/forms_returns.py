"""Forms of the returns pages: filters, starting a return, the cross-table, upload, steps."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.statistics.choices_returns import AGE_BAND_CATEGORIES, Dimension, ReturnStatus
from polku.statistics.csv_returns import MAX_UPLOAD_BYTES
from polku.statistics.models import Indicator, Return
from polku.statistics.validation import (
    FIELDS,
    Entry,
    Problem,
    category_codes,
    category_label,
    dimension_label,
)
from polku.taxonomy.models import Category

YEARS_BACK = 6


class ReturnFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [("", _("All years")), *((year, str(year)) for year in years)]
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [("", _("All statuses")), *ReturnStatus.choices]


class ReturnStartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        organisation_field.queryset = organisations
        latest = timezone.localdate().year
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [
            (year, str(year)) for year in range(latest - 1, latest - 1 - YEARS_BACK, -1)
        ]
        year_field.help_text = _("The year the figures are about.")


@dataclass(frozen=True)
class Cell:
    """One input of the cross-table, or a cell the indicator has no breakdown for."""

    indicator: Indicator
    dimension: str
    category: str
    field_name: str | None
    value: int | None = None
    applies: bool = True


@dataclass(frozen=True)
class Row:
    dimension: str
    category: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Section:
    """The rows of one dimension (or of the totals), under a heading row."""

    dimension: str
    label: str
    rows: list[Row]


def cell_field_name(indicator_code: str, dimension: str, category: str) -> str:
    return f"cell__{indicator_code}__{dimension}__{category}"


def table_layout(
    indicators: list[Indicator],
    forms_of_exploitation: dict[str, Category],
    *,
    values: dict[tuple[str, str, str], int] | None = None,
    fields: bool = False,
) -> list[Section]:
    """The cross-table of a return: a section per dimension, a row per category, a column
    per indicator. Cells the indicator has no breakdown for carry no field and no value.
    Countries are left out: there are too many to lay out, and they come by CSV or API."""

    def row(dimension: str, category: str, label: str) -> Row:
        cells = []
        for indicator in indicators:
            applies = not dimension or dimension in indicator.dimensions
            name = cell_field_name(indicator.code, dimension, category) if applies else None
            value = (values or {}).get((indicator.code, dimension, category)) if applies else None
            cells.append(
                Cell(indicator, dimension, category, name if fields else None, value, applies)
            )
        return Row(dimension, category, label, cells)

    sections = [Section("", str(_("Total")), [row("", "", str(_("Total")))])]
    used = {dimension for indicator in indicators for dimension in indicator.dimensions}
    for dimension in Dimension:
        if dimension not in used or dimension == Dimension.COUNTRY:
            continue
        codes = (
            list(AGE_BAND_CATEGORIES)
            if dimension == Dimension.AGE_BAND
            else category_codes(dimension, forms_of_exploitation)
        )
        rows = [
            row(dimension, code, category_label(dimension, code, forms_of_exploitation))
            for code in codes
        ]
        sections.append(Section(dimension, dimension_label(dimension), rows))
    return sections


class FiguresForm(forms.Form):
    """The cross-table: rows are categories, columns are the return's indicators.

    A blank cell is a figure not given. The rules are the service's: this form only
    carries the text typed and shows the problems the service finds against each cell.
    """

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        forms_of_exploitation: dict[str, Category],
        initial_values: dict[tuple[str, str, str], int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.forms_of_exploitation = forms_of_exploitation
        self.sections = table_layout(indicators, forms_of_exploitation, fields=True)
        self.keys: dict[tuple[str, str, str], str] = {
            (cell.indicator.code, cell.dimension, cell.category): cell.field_name
            for section in self.sections
            for row in section.rows
            for cell in row.cells
            if cell.field_name is not None
        }
        for section in self.sections:
            for row in section.rows:
                for cell in row.cells:
                    if cell.field_name is None:
                        continue
                    label = _("%(indicator)s, %(row)s") % {
                        "indicator": cell.indicator.display_name,
                        "row": row.label
                        if not section.dimension
                        else f"{section.label}: {row.label}",
                    }
                    self.fields[cell.field_name] = forms.CharField(
                        label=label,
                        required=False,
                        max_length=20,
                        widget=forms.TextInput(
                            attrs={"inputmode": "numeric", "spellcheck": "false"}
                        ),
                    )
                    value = (initial_values or {}).get(
                        (cell.indicator.code, cell.dimension, cell.category)
                    )
                    if value is not None:
                        self.initial[cell.field_name] = str(value)

    def entries(self) -> list[Entry]:
        """The cells typed in, as entries named by their row and column."""
        entries = []
        for section in self.sections:
            for row in section.rows:
                for cell in row.cells:
                    if cell.field_name is None:
                        continue
                    text = str(self.cleaned_data.get(cell.field_name) or "").strip()
                    if not text:
                        continue
                    entries.append(
                        Entry(
                            indicator=cell.indicator.code,
                            dimension=cell.dimension,
                            category=cell.category,
                            value=text,
                            row=row.label
                            if not section.dimension
                            else f"{section.label}: {row.label}",
                            columns=dict.fromkeys(FIELDS, cell.indicator.display_name),
                        )
                    )
        return entries

    def show_problems(self, problems: list[Problem]) -> None:
        """Puts each problem on the cell it is about, or above the table."""
        for problem in problems:
            name = self.keys.get(problem.key) if problem.key else None
            if name is not None and name in self.fields:
                self.add_error(name, problem.message)
            else:
                self.add_error(None, str(problem))

    def grid(self) -> list[tuple[Section, list[tuple[Row, list[tuple[Cell, Any]]]]]]:
        """The sections with each cell's bound field (None where the cell has no input)."""
        return [
            (
                section,
                [
                    (
                        row,
                        [
                            (cell, self[cell.field_name] if cell.field_name else None)
                            for cell in row.cells
                        ],
                    )
                    for row in section.rows
                ],
            )
            for section in self.sections
        ]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One row per figure, with the columns indicator, dimension, category and value. "
            "Leave dimension and category empty for a total. Figures already saved are "
            "replaced by the file's."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s kB.") % {"size": MAX_UPLOAD_BYTES // 1024}
            )
        return upload


class SubmitForm(forms.Form):
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the flagged figures and they are right"), required=False
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendBackForm(forms.Form):
    comments = forms.CharField(
        label=_("What must change"),
        help_text=_("The organisation sees this with the returned figures."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the figures must be revised"),
        help_text=_("Kept with the figures as they stand now, which stay readable."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ValidatorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True, memberships__is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username"),
        help_text=_("A member of the organisation, usually not one of its data providers."),
    )


def figure_values(statistics_return: Return) -> dict[tuple[str, str, str], int]:
    """The saved figures of a return, by (indicator, dimension, category)."""
    return {
        (figure.indicator.code, figure.dimension, figure.category): figure.value
        for figure in statistics_return.figures.all()
    }
