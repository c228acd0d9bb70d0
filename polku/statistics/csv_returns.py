"""Returns as CSV: one row per figure, ``indicator,dimension,category,value``.

The dimension and category are empty for an indicator's total. Other columns (the
template adds ``label``) are ignored, and so are rows whose value is empty: they are
figures not given. The template lists every cell of the return's assigned indicators,
with the figures already saved.
"""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from polku.actors.models import Organisation
from polku.statistics.choices_returns import AGE_BAND_CATEGORIES, Dimension
from polku.statistics.models import Indicator, Return
from polku.statistics.validation import (
    FIELDS,
    Entry,
    Problem,
    assigned_indicators,
    category_codes,
    cell_row_label,
)
from polku.taxonomy.models import Category

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_ROWS = 20_000
NO_COLUMN = "—"


def read_upload(data: bytes) -> tuple[list[Entry], list[Problem]]:
    """The entries of an uploaded file, or the problems that stop it being read."""
    if len(data) > MAX_UPLOAD_BYTES:
        return [], [
            Problem(
                row="1",
                column=NO_COLUMN,
                message=_("The file is larger than %(size)s kB.")
                % {"size": MAX_UPLOAD_BYTES // 1024},
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [
            Problem(
                row="1",
                column=NO_COLUMN,
                message=_(
                    "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
                ),
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    entries: list[Entry] = []
    problems: list[Problem] = []
    try:
        for fields in reader:
            line = str(reader.line_num)
            if not any(field.strip() for field in fields):
                continue
            if header is None:
                header = [field.strip().lower() for field in fields]
                missing = [name for name in FIELDS if name not in header]
                if missing:
                    return [], [
                        Problem(
                            row=line,
                            column=", ".join(missing),
                            message=_(
                                "The first line must name the columns %(columns)s; "
                                "%(missing)s is missing."
                            )
                            % {"columns": ", ".join(FIELDS), "missing": ", ".join(missing)},
                        )
                    ]
                continue
            if len(entries) + len(problems) >= MAX_ROWS:
                problems.append(
                    Problem(
                        row=line,
                        column=NO_COLUMN,
                        message=_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS},
                    )
                )
                break
            needed = max(header.index(name) for name in FIELDS) + 1
            if len(fields) < needed:
                problems.append(
                    Problem(
                        row=line,
                        column=NO_COLUMN,
                        message=_(
                            "This line has %(found)s fields, but the columns %(columns)s need "
                            "%(needed)s."
                        )
                        % {"found": len(fields), "columns": ", ".join(FIELDS), "needed": needed},
                    )
                )
                continue
            values = {name: fields[header.index(name)] for name in FIELDS}
            if not values["value"].strip():
                continue
            entries.append(
                Entry(
                    indicator=values["indicator"],
                    dimension=values["dimension"],
                    category=values["category"],
                    value=values["value"],
                    row=line,
                )
            )
    except csv.Error as error:
        problems.append(
            Problem(
                row=str(reader.line_num),
                column=NO_COLUMN,
                message=_("The line could not be read as CSV (%(error)s).") % {"error": error},
            )
        )
    if header is None:
        problems.append(Problem(row="1", column=NO_COLUMN, message=_("The file is empty.")))
    elif not entries and not problems:
        problems.append(Problem(row="2", column="value", message=_("The file gives no figures.")))
    return entries, problems


def template_cells(indicator: Indicator, forms: dict[str, Category]) -> Iterable[tuple[str, str]]:
    """The (dimension, category) cells a return has for an indicator, total first."""
    yield "", ""
    for dimension in indicator.ordered_dimensions:
        if dimension == Dimension.COUNTRY:
            continue
        codes = (
            list(AGE_BAND_CATEGORIES)
            if dimension == Dimension.AGE_BAND
            else category_codes(dimension, forms)
        )
        for code in codes:
            yield dimension, code


def _cell_label(
    indicator: Indicator, dimension: str, category: str, forms: dict[str, Category]
) -> str:
    return f"{indicator.display_name} — {cell_row_label(dimension, category, forms)}"


def template_csv(
    *,
    organisation: Organisation,
    year: int,
    forms: dict[str, Category],
    statistics_return: Return | None = None,
) -> str:
    """A CSV to fill in: every cell of the assigned indicators, with saved figures filled."""
    saved: dict[tuple[str, str, str], int] = {}
    extra: list[tuple[str, str, str, int]] = []
    if statistics_return is not None:
        for code, dimension, category, value in statistics_return.figures.values_list(
            "indicator__code", "dimension", "category", "value"
        ):
            saved[(code, dimension, category)] = value
            if dimension == Dimension.COUNTRY:
                extra.append((code, dimension, category, value))
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([*FIELDS, "label"])
    for indicator in assigned_indicators(organisation=organisation, year=year):
        for dimension, category in template_cells(indicator, forms):
            given = saved.get((indicator.code, dimension, category))
            label = _cell_label(indicator, dimension, category, forms)
            writer.writerow(
                [indicator.code, dimension, category, "" if given is None else given, label]
            )
        for code, dimension, category, value in extra:
            if code == indicator.code:
                writer.writerow(
                    [
                        code,
                        dimension,
                        category,
                        value,
                        _cell_label(indicator, dimension, category, forms),
                    ]
                )
    return output.getvalue()
