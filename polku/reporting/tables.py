"""National tables as one-way breakdowns, and their protected versions.

Returns hold, per indicator and year, a total and a one-way breakdown by each dimension
(docs/adr/0016-statistics-returns.md), so every national table is one indicator, one year
and one dimension: its categories and the total. A breakdown that does not add up to the
indicator's total (an optional breakdown not every organisation gives) gets a category
``not_given`` for the difference, so that every table of an indicator and year has the
same total.

Protection (docs/adr/0014-disclosure-control.md) is applied to each table with
:func:`polku.statistics.disclosure.protect.protect`. Tables of one indicator and year share
their total, and some are finer breakdowns of others (age bands of the age groups,
countries of the citizenship groups): :func:`protect_together` keeps the total consistent
and protects each such pair jointly (docs/adr/0018-linked-breakdowns.md), so that no table
gives away what another withholds.

Plain Python: no Django, so the benchmark and the tests can use it directly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from polku.statistics.disclosure.attack import Status, StatusArray, audit
from polku.statistics.disclosure.linked import protect_pair, relation
from polku.statistics.disclosure.protect import Protection, protect
from polku.statistics.disclosure.table import FrequencyTable

TOTAL = ""
NOT_GIVEN = "not_given"
PUBLISHED = Status.PUBLISHED.label
PRIMARY = Status.PRIMARY.label
SECONDARY = Status.SECONDARY.label
# Not a cell's protection but a figure that is not there: the indicator's national source
# has no accepted return for the year, so there is no national figure to show.
AWAITED = "awaited"


@dataclass(frozen=True)
class Breakdown:
    """The national figures of one indicator and year by one dimension (``""``: the total
    alone), categories in display order."""

    year: int
    indicator: str
    dimension: str
    categories: tuple[str, ...]
    counts: tuple[int, ...]
    total: int

    @classmethod
    def build(
        cls,
        *,
        year: int,
        indicator: str,
        dimension: str,
        total: int,
        counts: Sequence[tuple[str, int]],
    ) -> Breakdown:
        """A breakdown from (category, count) pairs; the difference from the total, if any,
        becomes ``not_given``."""
        categories = [category for category, _count in counts]
        values = [count for _category, count in counts]
        missing = total - sum(values)
        if dimension and missing > 0:
            categories.append(NOT_GIVEN)
            values.append(missing)
        # A breakdown that adds up to more than its total has been validated away in the
        # returns; should it happen, the total follows the parts rather than go negative.
        total = max(total, sum(values))
        return cls(year, indicator, dimension, tuple(categories), tuple(values), total)


@dataclass(frozen=True)
class Cell:
    """One cell of a table as it may be shown: its category (``""`` for the total), its
    count (``None`` where withheld) and why it is withheld."""

    category: str
    count: int | None
    status: str

    @property
    def is_suppressed(self) -> bool:
        return self.status != PUBLISHED


@dataclass(frozen=True)
class Table:
    """A breakdown ready to show: its cells, categories first and the total last.

    ``protected`` says whether disclosure control was applied; an unprotected table is for
    the secretariat only.
    """

    year: int
    indicator: str
    dimension: str
    cells: tuple[Cell, ...]
    protected: bool
    threshold: int

    @property
    def total(self) -> Cell:
        return self.cells[-1]

    @property
    def categories(self) -> tuple[Cell, ...]:
        return self.cells[:-1]

    @property
    def suppressed(self) -> int:
        return sum(1 for cell in self.cells if cell.is_suppressed)

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "indicator": self.indicator,
            "dimension": self.dimension,
            "protected": self.protected,
            "threshold": self.threshold,
            "cells": [
                {"category": cell.category, "count": cell.count, "status": cell.status}
                for cell in self.cells
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Table:
        cells = data["cells"]
        assert isinstance(cells, list)
        return cls(
            year=int(str(data["year"])),
            indicator=str(data["indicator"]),
            dimension=str(data["dimension"]),
            cells=tuple(
                Cell(
                    category=str(cell["category"]),
                    count=None if cell["count"] is None else int(cell["count"]),
                    status=str(cell["status"]),
                )
                for cell in cells
            ),
            protected=bool(data["protected"]),
            threshold=int(str(data["threshold"])),
        )


def unprotected(breakdown: Breakdown, *, threshold: int) -> Table:
    """The breakdown as it is, every cell shown: for the secretariat only."""
    cells = [
        Cell(category, count, PUBLISHED)
        for category, count in zip(breakdown.categories, breakdown.counts, strict=True)
    ]
    cells.append(Cell(TOTAL, breakdown.total, PUBLISHED))
    return Table(
        breakdown.year, breakdown.indicator, breakdown.dimension, tuple(cells), False, threshold
    )


def protect_breakdown(breakdown: Breakdown, *, threshold: int) -> Table:
    """The breakdown with small cells withheld and enough others that none can be worked
    back from what is shown."""
    if not breakdown.categories:
        label = PUBLISHED if breakdown.total >= threshold else PRIMARY
        count = breakdown.total if label == PUBLISHED else None
        cells: tuple[Cell, ...] = (Cell(TOTAL, count, label),)
    else:
        table = FrequencyTable.from_array(
            list(breakdown.counts),
            dimensions=[breakdown.dimension],
            values=[list(breakdown.categories)],
        )
        protection = protect(table, threshold=threshold)
        statuses = protection.status
        if statuses[-1] == Status.SECONDARY:
            statuses = _keep_total(protection)
        margined = protection.table
        cells = tuple(
            Cell(
                category,
                int(margined.counts[index]) if statuses[index] == Status.PUBLISHED else None,
                Status(int(statuses[index])).label,
            )
            for index, category in enumerate((*breakdown.categories, TOTAL))
        )
    return Table(breakdown.year, breakdown.indicator, breakdown.dimension, cells, True, threshold)


def _keep_total(protection: Protection) -> StatusArray:
    """A pattern with the total published, for a one-way table whose programme withheld
    the total (it does when moving the total costs no more than moving a category, as when
    one category holds the whole total). More categories are withheld instead, smallest
    first, until the attacker's own audit finds nothing exposed; the total is the sum of
    its categories, so with it published each withheld category ranges over the sum of the
    withheld ones. Falls back to the programme's pattern should nothing pass."""
    table = protection.table
    status = protection.status.copy()
    status[-1] = Status.PUBLISHED
    status[:-1][status[:-1] == Status.SECONDARY] = Status.PUBLISHED
    published = [
        int(index)
        for index in np.argsort(table.counts[:-1], kind="stable")
        if status[index] == Status.PUBLISHED
    ]
    while True:
        if not audit(table, status, protection.threshold):
            return status
        if not published:
            return protection.status
        status[published.pop(0)] = Status.SECONDARY


@dataclass(frozen=True)
class Link:
    """A breakdown nested in another of the same indicator and year: each category of
    ``fine`` belongs to the categories of ``coarse`` that ``groups`` names for it (to any
    of them where it names none). ``unknown`` is the category, on either side, for people
    whose category is not known."""

    coarse: str
    fine: str
    groups: Mapping[str, Collection[str]]
    unknown: str = "unknown"


def protect_together(
    breakdowns: Iterable[Breakdown], *, threshold: int, links: Iterable[Link] = ()
) -> list[Table]:
    """Protects every breakdown of one indicator and year so that no table gives away what
    another withholds.

    The tables share their total. A total below the threshold is withheld in every
    table alike, and then so is every category (each is at most the total). A total
    withheld to protect a category (which the suppression programme avoids, a total
    costing more than any of its parts) could be read off another table that shows all
    its categories; should it ever happen, every cell of the indicator and year is
    withheld.

    Each of ``links`` present (a breakdown may be in one link only) is then protected
    jointly: more cells of the finer table are withheld until the attack on both tables
    together finds nothing, and a cell of the finer table that the coarser one gives away
    anyway is shown. The coarser table keeps its own pattern, so that it stays protected
    where it appears alone (the annual report shows age groups and citizenship only).
    Tables of different links share only the published total, so protecting each pair on
    its own protects them all.
    """
    breakdowns = list(breakdowns)
    tables = [protect_breakdown(breakdown, threshold=threshold) for breakdown in breakdowns]
    if len({(table.year, table.indicator) for table in tables}) > 1:
        raise ValueError("Breakdowns protected together must be of one indicator and year.")
    if any(table.total.status == SECONDARY for table in tables):
        return [
            replace(
                table,
                cells=tuple(
                    cell if cell.status == PRIMARY else Cell(cell.category, None, SECONDARY)
                    for cell in table.cells
                ),
            )
            for table in tables
        ]
    position = {table.dimension: index for index, table in enumerate(tables)}
    linked: set[str] = set()
    for link in links:
        if link.coarse not in position or link.fine not in position:
            continue
        if {link.coarse, link.fine} & linked or link.coarse == link.fine:
            raise ValueError("A breakdown can be linked to one other breakdown only.")
        linked |= {link.coarse, link.fine}
        coarse, fine = position[link.coarse], position[link.fine]
        tables[coarse], tables[fine] = _protect_link(
            breakdowns[coarse], tables[coarse], breakdowns[fine], tables[fine], link, threshold
        )
    return tables


def _protect_link(
    coarse: Breakdown,
    coarse_table: Table,
    fine: Breakdown,
    fine_table: Table,
    link: Link,
    threshold: int,
) -> tuple[Table, Table]:
    """The two tables of a link protected jointly, from their own patterns.

    Two relations are offered: that a category not known on one side is not known on the
    other either (an unknown age band is in the unknown age group), and only that a known
    fine category is in its group. A category ``not_given`` joins any of the other side.
    The pair is audited under each relation the published cells agree with, whichever the
    figures keep: an attacker may assume the strict one although a few people of a known
    group have no known band or country. Figures that break both relations have every
    cell of the finer table withheld.
    """
    strict = relation(coarse.categories, fine.categories, link.groups, open_categories={NOT_GIVEN})
    loose = relation(
        coarse.categories,
        fine.categories,
        link.groups,
        open_categories={NOT_GIVEN, link.unknown},
    )
    result = protect_pair(
        np.array(coarse.counts, dtype=np.int64),
        np.array(fine.counts, dtype=np.int64),
        relations=[strict, loose],
        coarse_status=_statuses(coarse_table),
        fine_status=_statuses(fine_table),
        threshold=threshold,
    )
    return _with_statuses(coarse, coarse_table, result.coarse), _with_statuses(
        fine, fine_table, result.fine
    )


def _statuses(table: Table) -> StatusArray:
    return np.array([Status[cell.status.upper()] for cell in table.cells], dtype=np.int8)


def _with_statuses(breakdown: Breakdown, table: Table, statuses: StatusArray) -> Table:
    counts = (*breakdown.counts, breakdown.total)
    cells = tuple(
        Cell(
            cell.category,
            count if status == Status.PUBLISHED else None,
            Status(int(status)).label,
        )
        for cell, count, status in zip(table.cells, counts, statuses, strict=True)
    )
    return replace(table, cells=cells)


def shown(cell: Cell, *, threshold: int) -> str:
    """How a withheld cell is written: ``<10`` below the threshold, ``x`` for a cell
    withheld to protect another. Published cells give the empty string; format them as
    numbers where they are shown."""
    if cell.status == PRIMARY:
        return f"<{threshold}"
    if cell.status == SECONDARY:
        return "x"
    return ""
