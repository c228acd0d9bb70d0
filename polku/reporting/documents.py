"""The annual report written out from its snapshot: the page body with its charts, the
tagged PDF (PDF/UA-1, WeasyPrint) and the labels both share, in one language at a time.

The body is one HTML fragment used both on the site (inside the page frame) and in the PDF
(inside a bare document with its own stylesheet), so the two say the same thing. Each
chart is drawn from the same rows as the table beside it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from polku.reporting.charts import Point, bar_chart, trend_chart
from polku.reporting.selectors import awaiting_note_html, pick
from polku.reporting.snapshot import SDG_INDICATOR
from polku.reporting.tables import (
    AWAITED,
    PRIMARY,
    PUBLISHED,
    SECONDARY,
    TOTAL,
    Cell,
    Table,
    shown,
)

STYLESHEET = "reporting/report-document.css"
# The page's font files and the characters each covers (as in frontend/scss/polku.scss).
UNICODE_RANGES = {
    "latin": "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, "
    "U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, "
    "U+FFFD",
    "latin-ext": "U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, "
    "U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, "
    "U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF",
}

Tick = Callable[[], None]


def number(value: float | int, *, decimals: int | None = None) -> str:
    """A number in the active language's format, thousands grouped."""
    return str(formats.number_format(value, decimal_pos=decimals, force_grouping=True))


def cell_text(cell: Cell | dict[str, Any], *, threshold: int) -> str:
    """What a cell shows: its count, ``<10`` or ``x``, or that it is awaited."""
    if isinstance(cell, dict):
        cell = Cell(str(cell.get("category", "")), cell.get("count"), str(cell["status"]))
    if cell.status == PUBLISHED and cell.count is not None:
        return number(cell.count)
    if cell.status in (PRIMARY, SECONDARY):
        return shown(cell, threshold=threshold)
    if cell.status == AWAITED:
        return pgettext("a national figure not yet there", "awaited")
    return _("not available")


@dataclass
class ShownRow:
    label: str
    text: str
    status: str
    is_total: bool = False


@dataclass
class ShownTable:
    """A table as the report shows it, with the chart drawn from the same rows."""

    id: str
    caption: str
    heading: str
    rows: list[ShownRow]
    chart: SafeString = field(default_factory=SafeString)


@dataclass
class ShownIndicator:
    code: str
    name: str
    definition: str
    unit: str
    organisations: int
    summed_across_organisations: bool = False
    tables: list[ShownTable] = field(default_factory=list)
    trend: ShownTable | None = None
    breaks: list[str] = field(default_factory=list)
    suppressed: int = 0
    # Whose accepted return, as national source, a year's national figure awaited when the
    # report was generated: one note per year and source, the year first.
    awaited: list[SafeString] = field(default_factory=list)
    awaited_this_year: bool = False


def _rows_of(table: Table, labels: dict[str, Any], *, threshold: int) -> list[ShownRow]:
    names = labels["categories"].get(table.dimension, {})
    rows = []
    for cell in table.cells:
        label = pick(names.get(cell.category, cell.category)) if cell.category else _("Total")
        rows.append(
            ShownRow(
                label=label,
                text=cell_text(cell, threshold=threshold),
                status=cell.status,
                is_total=cell.category == TOTAL,
            )
        )
    return rows


def _points(rows: list[ShownRow], tables_cells: list[Cell]) -> list[Point]:
    return [
        Point(
            label=row.label,
            value=float(cell.count)
            if cell.status == PUBLISHED and cell.count is not None
            else None,
            text=row.text,
        )
        for row, cell in zip(rows, tables_cells, strict=True)
    ]


def _chart_description() -> str:
    return _(
        "Bar chart. The same figures are in the table beside it; bars are left out where a "
        "figure is withheld."
    )


def _break_text(note: dict[str, Any]) -> str:
    if note["kind"] == "organisations":
        return ngettext(
            "%(year)s: the figures come from %(after)s organisation (%(before)s the year "
            "before), so figures from this year on are not fully comparable with earlier ones.",
            "%(year)s: the figures come from %(after)s organisations (%(before)s the year "
            "before), so figures from this year on are not fully comparable with earlier ones.",
            int(note["after"]),
        ) % {"year": note["year"], "after": note["after"], "before": note["before"]}
    return _(
        "%(year)s: a new typology of forms of exploitation came into use; earlier categories "
        "are counted under the categories that continue them."
    ) % {"year": note["year"]}


def _awaited_text(awaited: dict[str, Any]) -> SafeString:
    """The note "2024: Awaiting the accepted return of …", in the active language."""
    return format_html("{}: {}", awaited["year"], awaiting_note_html(pick(awaited["organisation"])))


def _awaited_this_year(snapshot: dict[str, Any], code: str) -> list[SafeString]:
    """The notes for an indicator whose national figure for the report's year is awaited,
    each naming the indicator (for where the indicator's own section is not)."""
    for entry in snapshot["indicators"]:
        if entry["code"] == code:
            return [
                format_html(
                    "{}: {}", pick(entry["name"]), awaiting_note_html(pick(source["organisation"]))
                )
                for source in entry.get("awaited", [])
                if source["year"] == snapshot["year"]
            ]
    return []


def indicators_shown(
    snapshot: dict[str, Any], *, language: str, charts: bool = True, tick: Tick | None = None
) -> list[ShownIndicator]:
    """Every indicator's tables, trend and notes in the active language, with charts."""
    threshold = int(snapshot["threshold"])
    labels = snapshot["labels"]
    shown_indicators = []
    for entry in snapshot["indicators"]:
        name = pick(entry["name"])
        indicator = ShownIndicator(
            code=entry["code"],
            name=name,
            definition=pick(entry["definition"]),
            unit=pick(entry["unit_name"]),
            organisations=int(entry["organisations"]),
            # Snapshots written before national sources existed lack the key.
            summed_across_organisations=bool(entry.get("summed_across_organisations", False)),
        )
        for data in entry["tables"]:
            table = Table.from_dict(data)
            indicator.suppressed += table.suppressed
            if not table.dimension:
                continue
            dimension = pick(labels["dimensions"].get(table.dimension, table.dimension))
            rows = _rows_of(table, labels, threshold=threshold)
            chart_id = f"chart-{entry['code']}-{table.dimension}"
            caption = _("%(indicator)s by %(dimension)s, %(year)s") % {
                "indicator": name,
                "dimension": dimension.lower(),
                "year": snapshot["year"],
            }
            shown_table = ShownTable(chart_id, caption, dimension, rows)
            if charts:
                shown_table.chart = mark_safe(  # noqa: S308 - vl-convert's SVG, text escaped
                    bar_chart(
                        points=_points(rows[:-1], list(table.categories)),
                        chart_id=chart_id,
                        title=caption,
                        description=_chart_description(),
                        value_title=indicator.unit.capitalize(),
                        language=language,
                    )
                )
                if tick:
                    tick()
            indicator.tables.append(shown_table)
        if entry["trend"]:
            rows = [
                ShownRow(
                    label=str(point["year"]),
                    text=cell_text(point, threshold=threshold),
                    status=point["status"],
                )
                for point in entry["trend"]
            ]
            chart_id = f"chart-{entry['code']}-trend"
            caption = _("%(indicator)s, %(first)s to %(last)s") % {
                "indicator": name,
                "first": entry["trend"][0]["year"],
                "last": entry["trend"][-1]["year"],
            }
            trend = ShownTable(chart_id, caption, _("Year"), rows)
            if charts:
                trend.chart = mark_safe(  # noqa: S308 - vl-convert's SVG, text escaped
                    trend_chart(
                        points=[
                            Point(
                                row.label,
                                float(point["count"]) if point["status"] == PUBLISHED else None,
                                row.text,
                            )
                            for row, point in zip(rows, entry["trend"], strict=True)
                        ],
                        chart_id=chart_id,
                        title=caption,
                        description=_chart_description(),
                        value_title=indicator.unit.capitalize(),
                        language=language,
                    )
                )
                if tick:
                    tick()
            indicator.trend = trend
        indicator.breaks = [_break_text(note) for note in entry["breaks"]]
        # Snapshots written before awaited sources were kept lack the key.
        awaited = entry.get("awaited", [])
        indicator.awaited = [_awaited_text(source) for source in awaited]
        indicator.awaited_this_year = any(source["year"] == snapshot["year"] for source in awaited)
        shown_indicators.append(indicator)
    return shown_indicators


def funnel_shown(
    snapshot: dict[str, Any], *, language: str, charts: bool = True
) -> ShownTable | None:
    """Suspects, prosecuted and convicted persons in the year, in that order."""
    if not snapshot["funnel"]:
        return None
    threshold = int(snapshot["threshold"])
    names = {entry["code"]: pick(entry["name"]) for entry in snapshot["indicators"]}
    rows = [
        ShownRow(
            names.get(stage["indicator"], stage["indicator"]),
            cell_text(stage, threshold=threshold),
            stage["status"],
        )
        for stage in snapshot["funnel"]
    ]
    caption = _("From investigation to conviction, %(year)s") % {"year": snapshot["year"]}
    funnel = ShownTable("chart-funnel", caption, _("Stage"), rows)
    if charts:
        funnel.chart = mark_safe(  # noqa: S308 - vl-convert's SVG, text escaped
            bar_chart(
                points=[
                    Point(
                        row.label,
                        float(stage["count"]) if stage["status"] == PUBLISHED else None,
                        row.text,
                    )
                    for row, stage in zip(rows, snapshot["funnel"], strict=True)
                ],
                chart_id="chart-funnel",
                title=caption,
                description=_chart_description(),
                value_title=_("Persons"),
                language=language,
            )
        )
    return funnel


def sdg_shown(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """SDG 16.2.2 rows: group, victims, population and rate per 100,000."""
    sdg = snapshot.get("sdg")
    if not sdg:
        return None
    threshold = int(snapshot["threshold"])
    labels = snapshot["labels"]
    rows = []
    for row in sdg["rows"]:
        if row["dimension"]:
            dimension = pick(labels["dimensions"].get(row["dimension"], row["dimension"]))
            category = pick(
                labels["categories"].get(row["dimension"], {}).get(row["category"], row["category"])
            )
            label = f"{dimension}: {category}"
        else:
            label = _("All victims")
        if row["rate"] is not None:
            rate = number(row["rate"], decimals=2)
        elif row["status"] != PUBLISHED:
            rate = shown(Cell("", None, row["status"]), threshold=threshold)
        else:
            rate = _("no population figure")
        rows.append(
            {
                "label": label,
                "count": cell_text(row, threshold=threshold),
                "population": number(row["population"]) if row["population"] else "",
                "rate": rate,
            }
        )
    return {**sdg, "shown_rows": rows}


def estimates_shown(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **estimate,
            "estimate_text": number(estimate["estimate"]),
            "low_text": number(estimate["low"]),
            "high_text": number(estimate["high"]),
            "observed_text": (
                number(estimate["observed"])
                if estimate["observed"] is not None
                else f"<{snapshot['threshold']}"
            ),
            "method_text": pick(estimate["method"]),
            "interval_method_text": pick(estimate["interval_method"]),
            "caveats_text": estimate["caveats"].get(translation.get_language() or "en")
            or estimate["caveats"].get("en", []),
        }
        for estimate in snapshot.get("estimates", [])
    ]


def chart_count(snapshot: dict[str, Any]) -> int:
    """How many charts one language's document draws (for the progress bar)."""
    count = 1 if snapshot["funnel"] else 0
    for entry in snapshot["indicators"]:
        count += sum(1 for table in entry["tables"] if table["dimension"])
        count += 1 if entry["trend"] else 0
    return count


def body_context(
    snapshot: dict[str, Any], *, language: str, charts: bool = True, tick: Tick | None = None
) -> dict[str, Any]:
    """What the report's body shows, in the language (which must be active)."""
    indicators = indicators_shown(snapshot, language=language, charts=charts, tick=tick)
    funnel = funnel_shown(snapshot, language=language, charts=charts)
    if funnel is not None and tick:
        tick()
    return {
        "snapshot": snapshot,
        "year": snapshot["year"],
        "threshold": snapshot["threshold"],
        "indicators": indicators,
        "funnel": funnel,
        "funnel_awaited": [
            note
            for stage in snapshot["funnel"]
            if stage["status"] == AWAITED
            for note in _awaited_this_year(snapshot, stage["indicator"])
        ],
        "sdg": sdg_shown(snapshot),
        "sdg_awaited": [] if snapshot.get("sdg") else _awaited_this_year(snapshot, SDG_INDICATOR),
        "estimates": estimates_shown(snapshot),
        "coverage": snapshot["coverage"],
        "missing": [pick(names) for names in snapshot["coverage"]["missing"]],
        "suppressed": sum(indicator.suppressed for indicator in indicators),
        "LANGUAGE_CODE": language,
    }


def render_body(snapshot: dict[str, Any], *, language: str, tick: Tick | None = None) -> str:
    """The report's body in ``language``: headings, charts, tables and notes."""
    with translation.override(language):
        context = body_context(snapshot, language=language, tick=tick)
        return render_to_string("reporting/_report_body.html", context)


def _static_url(path: str) -> str:
    found = finders.find(path)
    assert isinstance(found, str), path
    return "file://" + found


def render_pdf(
    *, snapshot: dict[str, Any], body: str, language: str, uncompressed: bool = False
) -> bytes:
    """The report as a tagged PDF (PDF/UA-1) in the language, in the site's font."""
    with translation.override(language):
        html = render_to_string(
            "reporting/report_pdf.html",
            {
                "body": mark_safe(body),  # noqa: S308 - rendered by render_body
                "year": snapshot["year"],
                "LANGUAGE_CODE": language,
                "address": settings.SITE_URL.rstrip("/"),
            },
        )
    # Imported here: WeasyPrint parses its own stylesheets (and logs it) when imported.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = "\n".join(
        f'@font-face {{ font-family: "Source Sans 3"; font-weight: {weight}; '
        f'src: url("{_static_url(f"polku/fonts/source-sans-3-{subset}-{weight}-normal.woff2")}") '
        f'format("woff2"); unicode-range: {ranges}; }}'
        for weight in (400, 700)
        for subset, ranges in UNICODE_RANGES.items()
    )
    stylesheets = [
        CSS(string=faces, font_config=fonts),
        CSS(filename=finders.find(STYLESHEET), font_config=fonts),
    ]
    pdf: bytes = HTML(string=html, base_url=settings.SITE_URL).write_pdf(
        stylesheets=stylesheets,
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=uncompressed,
    )
    return pdf
