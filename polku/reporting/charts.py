"""Charts as static, accessible SVG: Vega-Altair specifications drawn by vl-convert.

Every chart has a data table beside it, which is its accessible equivalent; the SVG itself
is one image (``role="img"``) named by its ``<title>`` and ``<desc>``, with Vega's own
ARIA attributes turned off so that assistive technology does not read its marks one by
one. Text uses the page's font (see ``polku.reporting.fonts``), numbers the language's
separators. Suppressed values draw no bar and are labelled ``<10`` where the bar would
start, so the chart never suggests a number the table withholds. No ``style`` attributes
are written, so the SVG can sit inline under the site's Content Security Policy.
"""

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import altair as alt
from django.utils.html import escape

from polku.reporting.fonts import CHART_FONT, register_chart_fonts

# Polku petrol (white text on it reaches 7:1, and it stands out from white by far more
# than the 3:1 that graphics need), and GOV.UK's text and secondary text colours.
BAR_COLOUR = "#106165"
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
WIDTH = 320
STEP = 24
LocaleName = Literal["en-GB", "fi-FI", "sv-SE"]
FORMAT_LOCALES: dict[str, LocaleName] = {"en": "en-GB", "fi": "fi-FI", "sv": "sv-SE"}


@dataclass(frozen=True)
class Point:
    """One bar or point: its label, its value (``None`` when withheld) and the text shown."""

    label: str
    value: float | None
    text: str


def _spec(chart: alt.LayerChart) -> dict[str, Any]:
    """The chart's Vega-Lite specification in the site's font and colours, without ARIA."""
    configured = (
        chart.configure(font=CHART_FONT, aria=False, background="white")
        .configure_axis(
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            domainColor=AXIS_COLOUR,
            tickColor=AXIS_COLOUR,
            gridColor=GRID_COLOUR,
            labelFontSize=13,
            titleFontSize=13,
            titleFontWeight="normal",
            labelLimit=200,
        )
        .configure_view(stroke=None)
    )
    spec: dict[str, Any] = configured.to_dict()
    return spec


def _rows(points: Sequence[Point]) -> list[dict[str, Any]]:
    return [
        {
            "order": index,
            "label": point.label,
            "value": point.value,
            "position": point.value if point.value is not None else 0,
            "text": point.text,
        }
        for index, point in enumerate(points)
    ]


def bar_spec(*, points: Sequence[Point], value_title: str) -> dict[str, Any]:
    """Horizontal bars in the given order, each labelled with its text."""
    data = alt.Data(values=_rows(points))  # type: ignore[no-untyped-call]
    label = alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None)
    base = alt.Chart(data).properties(width=WIDTH, height=alt.Step(STEP))
    bars = base.mark_bar(color=BAR_COLOUR).encode(
        y=label, x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1))
    )
    texts = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=13).encode(
        y=label, x="position:Q", text="text:N"
    )
    return _spec(cast(alt.LayerChart, alt.layer(bars, texts)))


def trend_spec(*, points: Sequence[Point], value_title: str) -> dict[str, Any]:
    """Vertical bars, one per year in order, each labelled with its text."""
    data = alt.Data(values=_rows(points))  # type: ignore[no-untyped-call]
    year = alt.X(
        "label:O", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelAngle=0)
    )
    base = alt.Chart(data).properties(width=alt.Step(44), height=200)
    bars = base.mark_bar(color=BAR_COLOUR).encode(
        x=year, y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1))
    )
    texts = base.mark_text(baseline="bottom", dy=-3, color=TEXT_COLOUR, fontSize=12).encode(
        x=year, y="position:Q", text="text:N"
    )
    return _spec(cast(alt.LayerChart, alt.layer(bars, texts)))


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
# Vega's own roles and labels describe each mark; inside one image they are noise, and
# style attributes would be refused by the Content Security Policy.
_UNWANTED = re.compile(r'\s(?:style|role|aria-[a-z]+)="[^"]*"')


def accessible_svg(svg: str, *, chart_id: str, title: str, description: str) -> str:
    """Names the SVG as one image by its title and description, and keeps no style
    attributes (the Content Security Policy allows none)."""
    svg = _UNWANTED.sub("", svg)
    opening = _SVG_OPEN.search(svg)
    if opening is None:
        raise ValueError("vl-convert returned no SVG element.")
    tag = re.sub(r'\s(class|focusable)="[^"]*"', "", opening.group(0))
    tag = tag[:-1] + (
        f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false"'
        ' class="polku-chart__svg">'
    )
    heading = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return svg[: opening.start()] + tag + heading + svg[opening.end() :]


@functools.lru_cache(maxsize=512)
def _draw(spec_json: str, locale: LocaleName) -> str:
    # The same chart asked for again (a report generated twice from the same figures) is
    # drawn once per process.
    register_chart_fonts()
    import vl_convert

    return vl_convert.vegalite_to_svg(spec_json, format_locale=locale, show_warnings=False)


def render_svg(
    spec: dict[str, Any], *, chart_id: str, title: str, description: str, language: str
) -> str:
    """The specification drawn as accessible SVG, numbers in the language's format."""
    svg = _draw(json.dumps(spec, sort_keys=True), FORMAT_LOCALES.get(language[:2], "en-GB"))
    return accessible_svg(svg, chart_id=chart_id, title=title, description=description)


def bar_chart(
    *,
    points: Sequence[Point],
    chart_id: str,
    title: str,
    description: str,
    value_title: str,
    language: str,
) -> str:
    return render_svg(
        bar_spec(points=points, value_title=value_title),
        chart_id=chart_id,
        title=title,
        description=description,
        language=language,
    )


def trend_chart(
    *,
    points: Sequence[Point],
    chart_id: str,
    title: str,
    description: str,
    value_title: str,
    language: str,
) -> str:
    return render_svg(
        trend_spec(points=points, value_title=value_title),
        chart_id=chart_id,
        title=title,
        description=description,
        language=language,
    )
