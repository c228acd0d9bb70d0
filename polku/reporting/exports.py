"""Tables as downloads: CSV, XLSX and JSON, one row per cell, labels in one language.

Every download says whether it was protected. A withheld cell has no ``value``, its
``shown`` text (``<10`` or ``x``) and its ``status`` (``primary`` or ``secondary``); an
unprotected download, for the secretariat only, says so in its name, its ``status``
column and (in the workbook and JSON) a warning line.

An indicator whose national figure for the year awaits its national source's accepted
return has no figure to give: it gets one row, its total with no ``value``, ``status``
``awaited`` and the reason in ``note``, and (in the workbook and JSON) the same words as
a note under the title.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from polku.reporting.selectors import Labels, awaiting_note, pick
from polku.reporting.tables import AWAITED, PUBLISHED, TOTAL, Table, shown

COLUMNS = (
    "year",
    "indicator",
    "indicator_name",
    "dimension",
    "dimension_name",
    "category",
    "category_name",
    "value",
    "shown",
    "status",
    "note",
)
UNPROTECTED = "unprotected"
FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class LabelSource(Protocol):
    def indicator_name(self, code: str) -> Labels: ...
    def dimension_name(self, dimension: str) -> Labels: ...
    def category_name(self, dimension: str, code: str) -> Labels: ...


@dataclass(frozen=True)
class SnapshotLabels:
    """The labels a report's snapshot carries, read like the live vocabulary."""

    data: dict[str, Any]

    def indicator_name(self, code: str) -> Labels:
        for entry in self.data["indicators"]:
            if entry["code"] == code:
                names: Labels = entry["name"]
                return names
        return {"en": code}

    def dimension_name(self, dimension: str) -> Labels:
        names: Labels = self.data["labels"]["dimensions"].get(dimension, {"en": dimension})
        return names

    def category_name(self, dimension: str, code: str) -> Labels:
        names: Labels = self.data["labels"]["categories"].get(dimension, {}).get(code, {"en": code})
        return names


class AwaitedFigure(NamedTuple):
    """An indicator's national figure for a year that awaits its national source's
    accepted return, and the note that says so."""

    year: int
    indicator: str
    note: str


def awaited_figure(*, year: int, indicator: str, organisations: Sequence[str]) -> AwaitedFigure:
    """The indicator's awaited figure for the year, its note naming each source (by name in
    the active language)."""
    return AwaitedFigure(
        year, indicator, " ".join(awaiting_note(organisation) for organisation in organisations)
    )


def awaited_rows(
    awaited: Iterable[AwaitedFigure], labels: LabelSource, *, language: str
) -> list[dict[str, Any]]:
    """One row per indicator and year whose national figure is awaited: the total, with
    no value, and the note."""
    return [
        {
            "year": figure.year,
            "indicator": figure.indicator,
            "indicator_name": pick(labels.indicator_name(figure.indicator), language),
            "dimension": TOTAL,
            "dimension_name": "",
            "category": "total",
            "category_name": pick(labels.dimension_name(TOTAL), language),
            "value": None,
            "shown": "",
            "status": AWAITED,
            "note": figure.note,
        }
        for figure in awaited
    ]


def awaited_notes(
    awaited: Iterable[AwaitedFigure], labels: LabelSource, *, language: str
) -> list[str]:
    """The notes for under a download's title, each naming its indicator and year."""
    return [
        f"{pick(labels.indicator_name(figure.indicator), language)}, {figure.year}: {figure.note}"
        for figure in awaited
    ]


def table_rows(
    tables: Iterable[Table], labels: LabelSource, *, language: str
) -> list[dict[str, Any]]:
    """One row per cell, labels in ``language``."""
    rows = []
    for table in tables:
        for cell in table.cells:
            published = cell.status == PUBLISHED
            rows.append(
                {
                    "year": table.year,
                    "indicator": table.indicator,
                    "indicator_name": pick(labels.indicator_name(table.indicator), language),
                    "dimension": table.dimension,
                    "dimension_name": pick(labels.dimension_name(table.dimension), language)
                    if table.dimension
                    else "",
                    "category": cell.category or "total",
                    "category_name": pick(
                        labels.category_name(table.dimension, cell.category), language
                    )
                    if cell.category != TOTAL
                    else pick(labels.dimension_name(TOTAL), language),
                    "value": cell.count if published else None,
                    "shown": str(cell.count)
                    if published and cell.count is not None
                    else shown(cell, threshold=table.threshold),
                    "status": cell.status if table.protected else UNPROTECTED,
                    "note": None,
                }
            )
    return rows


def snapshot_rows(data: dict[str, Any], *, language: str) -> tuple[list[dict[str, Any]], list[str]]:
    """An annual report's tables as rows, and its notes, from its stored snapshot: an
    indicator whose national figure for the report's year was awaited gets its row and
    note, naming the source as the report does."""
    labels = SnapshotLabels(data)
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    with translation.override(language):
        for entry in data["indicators"]:
            rows.extend(
                table_rows(
                    [Table.from_dict(table) for table in entry["tables"]], labels, language=language
                )
            )
            # Snapshots written before awaited sources were kept lack the key.
            sources = [s for s in entry.get("awaited", []) if s["year"] == data["year"]]
            if sources:
                awaited = [
                    awaited_figure(
                        year=data["year"],
                        indicator=entry["code"],
                        organisations=[pick(s["organisation"], language) for s in sources],
                    )
                ]
                rows.extend(awaited_rows(awaited, labels, language=language))
                notes.extend(awaited_notes(awaited, labels, language=language))
    return rows, notes


def _csv(rows: Sequence[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if row[key] is None else row[key] for key in COLUMNS})
    # A byte-order mark lets spreadsheet programs read the labels' letters right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(
    rows: Sequence[dict[str, Any]], *, title: str, warning: str, notes: Sequence[str]
) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Data")
    sheet.append([title])
    if warning:
        sheet.append([warning])
    for note in notes:
        sheet.append([note])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[key] for key in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _json(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    warning: str,
    notes: Sequence[str],
    protected: bool,
    threshold: int,
) -> bytes:
    document: dict[str, Any] = {"title": title, "protected": protected, "threshold": threshold}
    if warning:
        document["warning"] = warning
    if notes:
        document["notes"] = list(notes)
    document["rows"] = list(rows)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def unprotected_warning() -> str:
    return _(
        "INTERNAL: not protected. These figures include small numbers; they must not leave "
        "the secretariat."
    )


def download(
    rows: Sequence[dict[str, Any]],
    *,
    file_format: str,
    filename: str,
    title: str,
    protected: bool,
    threshold: int,
    notes: Sequence[str] = (),
) -> HttpResponse:
    """The rows as a download in the format (``csv``, ``xlsx`` or ``json``), with the
    notes (the workbook and JSON give them under the title; a CSV file has no place for
    them, so its rows must carry them)."""
    warning = "" if protected else unprotected_warning()
    if not protected:
        filename = f"INTERNAL-unprotected-{filename}"
    if file_format == "xlsx":
        content = _xlsx(rows, title=title, warning=warning, notes=notes)
    elif file_format == "json":
        content = _json(
            rows,
            title=title,
            warning=warning,
            notes=notes,
            protected=protected,
            threshold=threshold,
        )
    else:
        file_format = "csv"
        content = _csv(rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
