"""Time and peak memory of generating the annual report for 10 years and 30 organisations.

Synthetic accepted returns (fixed seed): 30 organisations each report every indicator for
2015-2024, with every breakdown (age bands and countries from a third of them), so the
national sums behind the report are as large as the collection allows. The report for
2024 is then written as the task worker writes it: national sums, protection of every
table, the snapshot (stage 1), the charts and the page body in one language (stage 2),
and the tagged PDF of that language (stage 3).

Target on two cores: under 60 s for the whole report in one language. Run with
`.venv/bin/python bench/report_bench.py`; it builds its own SQLite database in a temporary
folder (or uses DATABASE_URL). BENCH_LANGUAGE chooses the language (default en).
"""

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="polku-report-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("POLKU_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import logging

from django.core.management import call_command
from django.utils import timezone

from polku.actors.choices import OrganisationKind
from polku.actors.models import Organisation
from polku.reporting import charts, documents
from polku.reporting.snapshot import build_snapshot
from polku.statistics.choices_returns import (
    AGE_BAND_CATEGORIES,
    CITIZENSHIP_CATEGORIES,
    SEX_CATEGORIES,
    Dimension,
    ReturnStatus,
)
from polku.statistics.models import (
    Indicator,
    Population,
    ReportingAssignment,
    Return,
    ReturnFigure,
)
from polku.taxonomy.models import Category

SEED = 20261129
YEARS = range(2015, 2025)
ORGANISATIONS = 30
THRESHOLD = 10
TARGET_SECONDS = 60.0
LANGUAGE = os.environ.get("BENCH_LANGUAGE", "en")
COUNTRIES = ["FI", "EE", "RO", "BG", "NG", "TH", "VN", "UA", "CN", "IQ", "SO", "MA"]


def split(generator: np.random.Generator, total: int, weights: list[float]) -> list[int]:
    """``total`` people spread over categories, as an organisation's breakdown would be."""
    return [int(value) for value in generator.multinomial(total, np.array(weights) / sum(weights))]


def fill() -> int:
    """Writes the synthetic organisations, assignments, returns and figures; returns the
    number of figures."""
    generator = np.random.default_rng(SEED)
    indicators = list(Indicator.objects.filter(is_active=True))
    forms = list(
        Category.objects.filter(typology__kind="exploitation_form", typology__is_current=True)
    )
    form_weights = [0.30, 0.35, 0.08, 0.06, 0.10, 0.01, 0.01, 0.01, 0.08][: len(forms)]
    for year in YEARS:
        Population.objects.create(
            year=year,
            reference_date=f"{year}-12-31",
            total=5_500_000 + 10_000 * (year - 2015),
            males=2_700_000,
            females=2_800_000 + 10_000 * (year - 2015),
            source="Synthetic",
        )
    figures: list[ReturnFigure] = []
    for number in range(ORGANISATIONS):
        organisation = Organisation.objects.create(
            name=f"Authority {number + 1}", kind=OrganisationKind.AUTHORITY
        )
        detailed = number % 3 == 0
        for indicator in indicators:
            ReportingAssignment.objects.create(
                organisation=organisation, indicator=indicator, from_year=YEARS[0]
            )
        for year in YEARS:
            statistics_return = Return.objects.create(
                organisation=organisation,
                year=year,
                status=ReturnStatus.ACCEPTED,
                accepted_at=timezone.now(),
            )
            for indicator in indicators:
                total = int(generator.poisson(4 + (number % 7) * 6 + (year - 2015)))
                cells: list[tuple[str, str, int, Category | None]] = [("", "", total, None)]
                for dimension in indicator.dimensions:
                    if dimension == Dimension.SEX:
                        parts = split(generator, total, [0.55, 0.42, 0.03])
                        codes = list(SEX_CATEGORIES)
                    elif dimension == Dimension.AGE_GROUP:
                        parts = split(generator, total, [0.18, 0.78, 0.04])
                        codes = ["child", "adult", "unknown"]
                    elif dimension == Dimension.CITIZENSHIP:
                        parts = split(generator, total, [0.25, 0.15, 0.55, 0.05])
                        codes = list(CITIZENSHIP_CATEGORIES)
                    elif dimension == Dimension.EXPLOITATION_FORM:
                        parts = split(generator, total, form_weights)
                        codes = [form.code for form in forms]
                    elif dimension == Dimension.AGE_BAND and detailed:
                        parts = split(generator, total, [2, 6, 20, 30, 20, 12, 6, 4])
                        codes = list(AGE_BAND_CATEGORIES)
                    elif dimension == Dimension.COUNTRY and detailed:
                        parts = split(generator, total, [1.0] * len(COUNTRIES))
                        codes = COUNTRIES
                    else:
                        continue
                    by_code = {form.code: form for form in forms}
                    for code, value in zip(codes, parts, strict=True):
                        if value:
                            form = (
                                by_code.get(code)
                                if dimension == Dimension.EXPLOITATION_FORM
                                else None
                            )
                            cells.append((dimension, code, value, form))
                for dimension, category, value, form in cells:
                    figures.append(
                        ReturnFigure(
                            statistics_return=statistics_return,
                            indicator=indicator,
                            dimension=dimension,
                            category=category,
                            value=value,
                            exploitation_form=form,
                        )
                    )
    ReturnFigure.objects.bulk_create(figures, batch_size=5_000)
    return len(figures)


def measure(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """The step's result, wall seconds and CPU seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - started, time.process_time() - cpu


def generate() -> tuple[dict[str, Any], str, bytes, list[float], list[float]]:
    data, snapshot_s, snapshot_cpu = measure(
        lambda: build_snapshot(year=YEARS[-1], threshold=THRESHOLD)
    )
    body, body_s, body_cpu = measure(lambda: documents.render_body(data, language=LANGUAGE))
    pdf, pdf_s, pdf_cpu = measure(
        lambda: documents.render_pdf(snapshot=data, body=body, language=LANGUAGE)
    )
    return data, body, pdf, [snapshot_s, body_s, pdf_s], [snapshot_cpu, body_cpu, pdf_cpu]


def main() -> None:
    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    count = fill()
    print(
        f"Synthetic returns: {ORGANISATIONS} organisations x {len(YEARS)} years, "
        f"{Return.objects.count()} accepted returns, {count:,} figures "
        f"(written in {time.perf_counter() - started:.1f} s)"
    )
    # A first run loads vl-convert, WeasyPrint and the fonts, as a worker's first report does.
    generate()
    charts._draw.cache_clear()
    data, _body, pdf, seconds, cpu = generate()
    total = sum(seconds)
    charts._draw.cache_clear()
    tracemalloc.start()
    generate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tables = sum(len(entry["tables"]) for entry in data["indicators"])
    cells = sum(len(t["cells"]) for entry in data["indicators"] for t in entry["tables"])
    withheld = sum(
        1
        for entry in data["indicators"]
        for table in entry["tables"]
        for cell in table["cells"]
        if cell["status"] != "published"
    )
    verdict = "within" if total < TARGET_SECONDS else "OVER"
    print(
        f"Annual report {YEARS[-1]} ({LANGUAGE}): {tables} protected tables, {cells} cells, "
        f"{withheld} withheld; {documents.chart_count(data)} charts; PDF {len(pdf) / 1024:.0f} KB"
    )
    print(
        f"  tables, protection and snapshot: {seconds[0]:.2f} s ({cpu[0]:.2f} CPU s)\n"
        f"  charts and page body:            {seconds[1]:.2f} s ({cpu[1]:.2f} CPU s)\n"
        f"  tagged PDF:                      {seconds[2]:.2f} s ({cpu[2]:.2f} CPU s)\n"
        f"  total: {total:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target); "
        f"peak traced memory {peak / 2**20:.1f} MB, "
        f"peak resident {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
