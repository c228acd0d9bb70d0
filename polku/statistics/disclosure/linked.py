"""Two one-way tables of one total where one is a finer breakdown of the other: the joint
attack, its audit and the protection of the pair.

Age bands break down the age groups, countries the citizenship groups. Protected each on
its own, the two tables can give each other away: with the child age bands withheld but
every adult band shown, the adults are the sum of the adult bands and the children the
total less that, however well the age-group table hides them.

The attacker's programme is over the *joint* cells (a coarse category by a fine category) that
may hold anyone, ``allowed`` in :class:`LinkedPair`: a fine category belongs to its group,
and a category for what was not broken down (``not_given``) on either side joins every
category of the other. Every published cell of either table, and the total, is an
equation: a published coarse cell is the sum of its joint cells, a published fine cell the
sum of its. The joint cells form a two-way table whose margins are the two tables, so the
package's own attack (:class:`~polku.statistics.disclosure.attack.Attacker`) does the work,
the joint cells that may not hold anyone being published zeros. The matrix of a two-way
table's margins is totally unimodular, so these real-valued ranges are also the ranges over
whole-number tables.

What no suppression can hide is left out of the requirements: a coarse category that no
listed fine category can join is zero, and seen to be so from the categories the fine
table lists (as the country table shows each country it does not list to be zero), and so
is a cell that the coarse table, the total and the categories fix on their own; see
:func:`fixed_cells`.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

from polku.statistics.disclosure.attack import (
    Attacker,
    FloatArray,
    Status,
    StatusArray,
    consistent,
    required_widths,
    tolerance,
)
from polku.statistics.disclosure.protect import ProtectionError
from polku.statistics.disclosure.table import BoolArray, FrequencyTable, IntArray, MarginedTable


class Side(enum.Enum):
    COARSE = "coarse"
    FINE = "fine"


@dataclass(frozen=True)
class LinkedPair:
    """A coarse and a fine one-way breakdown of one total, their categories' counts (no
    total), and ``allowed[g, f]``: whether anyone may be in coarse category ``g`` and fine
    category ``f`` at once."""

    coarse: IntArray
    fine: IntArray
    allowed: BoolArray

    def __post_init__(self) -> None:
        object.__setattr__(self, "coarse", np.asarray(self.coarse, dtype=np.int64))
        object.__setattr__(self, "fine", np.asarray(self.fine, dtype=np.int64))
        object.__setattr__(self, "allowed", np.asarray(self.allowed, dtype=np.bool_))
        if self.coarse.ndim != 1 or self.fine.ndim != 1 or not self.coarse.size:
            raise ValueError("Both breakdowns need at least one category.")
        if not self.fine.size:
            raise ValueError("Both breakdowns need at least one category.")
        if self.allowed.shape != (self.coarse.size, self.fine.size):
            raise ValueError(
                "allowed must have one row per coarse and one column per fine category."
            )
        if bool((self.coarse < 0).any()) or bool((self.fine < 0).any()):
            raise ValueError("Counts must be non-negative.")

    @property
    def total(self) -> int:
        return int(self.coarse.sum())

    @property
    def coarse_alone(self) -> BoolArray:
        """Coarse categories that no fine category may join: zero in any table that
        satisfies the relation."""
        return np.asarray(~self.allowed.any(axis=1))

    @property
    def fine_alone(self) -> BoolArray:
        return np.asarray(~self.allowed.any(axis=0))


def relation(
    coarse: Sequence[str],
    fine: Sequence[str],
    groups: Mapping[str, Collection[str]],
    *,
    open_categories: Collection[str] = (),
) -> BoolArray:
    """Which joint cells may hold anyone: fine category ``f`` joins the coarse categories
    ``groups[f]`` (every one of them when ``groups`` does not name ``f``), and a category
    of either side in ``open_categories`` joins every category of the other."""
    allowed = np.zeros((len(coarse), len(fine)), dtype=np.bool_)
    for column, category in enumerate(fine):
        if category in open_categories or category not in groups:
            allowed[:, column] = True
            continue
        members = groups[category]
        for row, group in enumerate(coarse):
            allowed[row, column] = group in members or group in open_categories
    return allowed


def joint_table(pair: LinkedPair) -> IntArray | None:
    """A whole-number joint table with the pair's counts as its margins and nobody outside
    ``allowed``, or ``None`` when the counts break the relation (or the totals differ)."""
    if int(pair.coarse.sum()) != int(pair.fine.sum()):
        return None
    rows, columns = np.nonzero(pair.allowed)
    n_coarse, n_fine = pair.allowed.shape
    if rows.size == 0:
        return np.zeros((n_coarse, n_fine), dtype=np.int64) if pair.total == 0 else None
    variables = np.arange(rows.size)
    equations = np.zeros((n_coarse + n_fine, rows.size))
    equations[rows, variables] = 1.0
    equations[n_coarse + columns, variables] = 1.0
    rhs = np.concatenate([pair.coarse, pair.fine]).astype(np.float64)
    # A transportation problem: its vertices are whole numbers, and the simplex method
    # returns one.
    result = linprog(
        np.zeros(rows.size), A_eq=equations, b_eq=rhs, bounds=(0, None), method="highs-ds"
    )
    if result.status != 0:
        return None
    joint = np.zeros((n_coarse, n_fine), dtype=np.int64)
    joint[rows, columns] = np.rint(result.x).astype(np.int64)
    if not (
        np.array_equal(joint.sum(axis=1), pair.coarse)
        and np.array_equal(joint.sum(axis=0), pair.fine)
        and bool((joint >= 0).all())
    ):
        return None
    return joint


@dataclass(frozen=True)
class LinkedExposure:
    """A withheld cell of one of the two tables (index ``index`` of its categories, the
    total last) whose joint range is narrower than required."""

    side: Side
    index: int
    low: float
    high: float
    required: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class LinkedModel:
    """The joint two-way table of a pair and where the two tables sit among its margins.

    Statuses of the two tables are arrays over their categories with the total last, as
    :class:`~polku.statistics.disclosure.protect.Protection` gives them for a one-way
    table; the two totals must agree.
    """

    pair: LinkedPair
    joint: IntArray
    table: MarginedTable = field(init=False)
    coarse_cells: IntArray = field(init=False)
    fine_cells: IntArray = field(init=False)
    witnesses: list[FloatArray] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.table = FrequencyTable.from_array(
            self.joint, dimensions=("coarse", "fine")
        ).with_margins()
        n_coarse, n_fine = self.joint.shape
        cells = np.arange((n_coarse + 1) * (n_fine + 1)).reshape(n_coarse + 1, n_fine + 1)
        self.coarse_cells = cells[:, n_fine]
        self.fine_cells = cells[n_coarse, :]

    def margined(self, coarse: StatusArray, fine: StatusArray) -> StatusArray:
        """The joint table's statuses: the two tables on its margins, every joint cell
        that may hold anyone withheld (needing no width of its own), the others published
        as the zeros they are."""
        coarse, fine = np.asarray(coarse, dtype=np.int8), np.asarray(fine, dtype=np.int8)
        if coarse.shape != (self.pair.coarse.size + 1,) or fine.shape != (self.pair.fine.size + 1,):
            raise ValueError("Each status array needs one entry per category and the total.")
        if (coarse[-1] == Status.PUBLISHED) != (fine[-1] == Status.PUBLISHED):
            raise ValueError("The two tables share their total: withhold it in both or neither.")
        status = np.full(self.table.n_cells, Status.PUBLISHED, dtype=np.int8)
        interior = self.table.interior
        status[interior] = np.where(self.pair.allowed.reshape(-1), Status.SECONDARY, 0)
        status[self.coarse_cells] = coarse
        status[self.fine_cells] = fine
        status[self.fine_cells[-1]] = max(int(coarse[-1]), int(fine[-1]))
        return status

    def required(
        self, status: StatusArray, threshold: int, waived: BoolArray | None = None
    ) -> FloatArray:
        """Width each cell needs: by its status on the margins, nothing for joint cells,
        categories that no category of the other side may join, and ``waived`` cells."""
        required = required_widths(status, threshold)
        required[self.table.interior] = 0.0
        alone = np.concatenate(
            [
                self.coarse_cells[:-1][self.pair.coarse_alone],
                self.fine_cells[:-1][self.pair.fine_alone],
            ]
        )
        required[alone] = 0.0
        if waived is not None:
            required[waived] = 0.0
        return required

    def ranges(self, status: StatusArray, cells: Iterable[int]) -> dict[int, tuple[float, float]]:
        """The joint range of each of ``cells`` (withheld margins) under ``status``."""
        cells = list(cells)
        if not cells:
            return {}
        suppressed = status != Status.PUBLISHED
        attacker = Attacker(self.table, suppressed, self.witnesses)
        found: dict[int, tuple[float, float]] = {}
        for cell in cells:
            found[int(cell)] = attacker.cell_range(int(cell))
        self.witnesses.extend(attacker.found)
        return found

    def audit(
        self,
        coarse: StatusArray,
        fine: StatusArray,
        threshold: int,
        *,
        waived: BoolArray | None = None,
    ) -> list[LinkedExposure]:
        """Withheld cells of either table narrower than required given everything both
        tables publish: at least ``threshold`` wide for a primary cell, 1 for a secondary
        one. As in :func:`~polku.statistics.disclosure.attack.audit`, a cell is cleared
        without a programme when two joint tables the attacker cannot tell apart differ in
        it by the width it needs."""
        status = self.margined(coarse, fine)
        suppressed = status != Status.PUBLISHED
        required = self.required(status, threshold, waived)
        slack = tolerance(self.table)
        truth = self.table.counts[self.table.interior].astype(np.float64)
        tables = [truth, *consistent(self.table, suppressed, self.witnesses)]
        values = self.table.incidence @ np.array(tables).T
        shown = values.max(axis=1) - values.min(axis=1)
        unproven = np.flatnonzero(suppressed & (required > 0) & (shown < required - slack))
        exposed = []
        for cell, (low, high) in self.ranges(status, unproven).items():
            if high - low >= required[cell] - slack:
                continue
            side, index = self.locate(cell)
            exposed.append(LinkedExposure(side, index, low, high, float(required[cell])))
        return exposed

    def locate(self, cell: int) -> tuple[Side, int]:
        coarse = np.flatnonzero(self.coarse_cells == cell)
        if coarse.size:
            return Side.COARSE, int(coarse[0])
        return Side.FINE, int(np.flatnonzero(self.fine_cells == cell)[0])


def attack_pair(
    pair: LinkedPair, coarse: StatusArray, fine: StatusArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The joint ranges of both tables' cells: ``(coarse low, coarse high, fine low, fine
    high)``, each with the total last; a published cell's range is its count."""
    joint = joint_table(pair)
    if joint is None:
        raise ValueError("The counts break the relation between the two tables.")
    model = LinkedModel(pair, joint)
    status = model.margined(coarse, fine)
    margins = np.concatenate([model.coarse_cells, model.fine_cells])
    ranges = model.ranges(status, margins[status[margins] != Status.PUBLISHED])
    counts = model.table.counts.astype(np.float64)
    low = counts.copy()
    high = counts.copy()
    for cell, (cell_low, cell_high) in ranges.items():
        low[cell], high[cell] = cell_low, cell_high
    return (
        low[model.coarse_cells],
        high[model.coarse_cells],
        low[model.fine_cells],
        high[model.fine_cells],
    )


def fixed_cells(
    model: LinkedModel, coarse: StatusArray, fine: StatusArray
) -> tuple[BoolArray, BoolArray]:
    """The withheld cells (coarse, fine; totals last) that the coarse table, the total and
    the categories listed fix on their own: those with no width when every fine category
    is withheld. No suppression of fine cells can widen them (withholding more only
    shrinks what is known), so they need none, and a fine one among them may as well be
    shown."""
    every_fine = _withhold_all(fine)
    status = model.margined(coarse, every_fine)
    margins = np.concatenate([model.coarse_cells, model.fine_cells])
    withheld = [int(cell) for cell in margins if status[cell] != Status.PUBLISHED]
    ranges = model.ranges(status, withheld)
    slack = tolerance(model.table)
    pinned = np.zeros(model.table.n_cells, dtype=np.bool_)
    for cell, (low, high) in ranges.items():
        pinned[cell] = high - low <= slack
    return pinned[model.coarse_cells], pinned[model.fine_cells]


def last_resort(fine: StatusArray, fixed: BoolArray) -> StatusArray:
    """Every fine cell withheld but those ``fixed`` (see :func:`fixed_cells`), which keep
    their status, a secondary one shown: always safe, the attacker then knowing nothing
    beyond the coarse table, the total and the categories listed."""
    status = _withhold_all(fine)
    original = np.asarray(fine, dtype=np.int8)
    status[fixed] = np.where(original[fixed] == Status.SECONDARY, Status.PUBLISHED, original[fixed])
    return status


def _withhold_all(fine: StatusArray) -> StatusArray:
    status = np.asarray(fine, dtype=np.int8).copy()
    categories = status[:-1]
    categories[categories == Status.PUBLISHED] = Status.SECONDARY
    return status


@dataclass(frozen=True)
class LinkedProtection:
    """The two tables' statuses after joint protection (totals last), the relation the
    attack assumed (an index into the relations offered, ``None`` if the counts broke all
    of them), the fine cells withheld beyond the per-table protection and those shown
    because the coarse table gives them away anyway."""

    coarse: StatusArray
    fine: StatusArray
    relation: int | None
    added: int
    shown: int


def protect_pair(
    coarse: npt.ArrayLike,
    fine: npt.ArrayLike,
    *,
    relations: Sequence[npt.ArrayLike],
    coarse_status: npt.ArrayLike,
    fine_status: npt.ArrayLike,
    threshold: int,
) -> LinkedProtection:
    """Protects a coarse and a fine table jointly, starting from their per-table patterns.

    The attacker is assumed to know the first of ``relations`` (strongest first) that the
    true counts satisfy. While the joint audit finds a cell exposed, one more fine cell is
    withheld: first those that may share a coarse category with the exposed cell, then
    those that may join another withheld coarse cell, then the others, smallest first in
    each. A secondary fine cell of the per-table pattern that what is shown pins down is
    shown instead. The coarse table keeps its per-table pattern. The last resort,
    every fine cell withheld, is always safe: the attacker then learns nothing from the fine
    table beyond the total and its categories (see docs/adr/0018-linked-breakdowns.md), and
    the audit confirms it; should it not, :class:`ProtectionError` is raised rather than a
    pattern returned. Counts that break every relation get every fine cell withheld.
    """
    coarse_counts = np.asarray(coarse, dtype=np.int64)
    fine_counts = np.asarray(fine, dtype=np.int64)
    coarse_now = np.asarray(coarse_status, dtype=np.int8).copy()
    fine_now = np.asarray(fine_status, dtype=np.int8).copy()
    if coarse_now[-1] != Status.PUBLISHED or fine_now[-1] != Status.PUBLISHED:
        # A withheld total is withheld with every category (see protect_together).
        return LinkedProtection(coarse_now, fine_now, None, 0, 0)
    chosen: tuple[int, LinkedPair, IntArray] | None = None
    for number, allowed in enumerate(relations):
        pair = LinkedPair(coarse_counts, fine_counts, np.asarray(allowed, dtype=np.bool_))
        joint = joint_table(pair)
        if joint is not None:
            chosen = (number, pair, joint)
            break
    if chosen is None:
        # A single fine category is the total, and hiding it would hide nothing.
        every = _withhold_all(fine_now) if fine_counts.size > 1 else fine_now
        added = int((every != fine_now).sum())
        return LinkedProtection(coarse_now, every, None, added, 0)
    number, pair, joint = chosen
    model = LinkedModel(pair, joint)
    original = fine_now.copy()
    fixed_coarse, fixed_fine = fixed_cells(model, coarse_now, fine_now)
    if bool((fixed_fine[:-1] & ~pair.fine_alone & (fine_now[:-1] == Status.PRIMARY)).any()):
        raise ProtectionError("A small fine cell is fixed by the coarse table.", [])
    # A fine cell the coarse table fixes adds nothing when shown, and hiding it hides
    # nothing; a coarse one is left as it is, so that the coarse table alone, as the
    # annual report shows it, stays protected on its own.
    fine_now[:-1][fixed_fine[:-1] & (fine_now[:-1] == Status.SECONDARY)] = Status.PUBLISHED
    waived = np.zeros(model.table.n_cells, dtype=np.bool_)
    waived[model.coarse_cells[fixed_coarse]] = True
    final = last_resort(fine_now, fixed_fine)
    candidates = [
        int(index)
        for index in np.argsort(fine_counts, kind="stable")
        if fine_now[index] == Status.PUBLISHED and not fixed_fine[index]
    ]
    slack = tolerance(model.table)
    while True:
        exposed = model.audit(coarse_now, fine_now, threshold, waived=waived)
        if not exposed:
            return _result(coarse_now, fine_now, original, number)
        # A cell withheld only to protect others, now pinned by what is shown: showing it
        # changes nothing the attacker knows. Only the per-table pattern's own secondary
        # cells are shown again, each once, so the loop always ends.
        pinned = [
            exposure.index
            for exposure in exposed
            if exposure.side is Side.FINE
            and exposure.width <= slack
            and exposure.index < pair.fine.size
            and original[exposure.index] == Status.SECONDARY
            and fine_now[exposure.index] == Status.SECONDARY
        ]
        if pinned:
            fine_now[pinned] = Status.PUBLISHED
            continue
        if not candidates:
            break
        pick = _next_cell(pair, exposed[0], coarse_now, candidates)
        candidates.remove(pick)
        fine_now[pick] = Status.SECONDARY
    # Cells shown again along the way may have kept the cells around them exposed; every
    # fine cell withheld is always safe.
    if model.audit(coarse_now, final, threshold, waived=waived):
        raise ProtectionError(
            "Withholding every fine cell still left a cell exposed; nothing was published.", []
        )
    return _result(coarse_now, final, original, number)


def _result(
    coarse: StatusArray, fine: StatusArray, original: StatusArray, relation: int
) -> LinkedProtection:
    added = int(((fine != Status.PUBLISHED) & (original == Status.PUBLISHED)).sum())
    shown = int(((fine == Status.PUBLISHED) & (original == Status.SECONDARY)).sum())
    return LinkedProtection(coarse, fine, relation, added, shown)


def _next_cell(
    pair: LinkedPair, exposure: LinkedExposure, coarse: StatusArray, candidates: list[int]
) -> int:
    """The fine cell to withhold next for ``exposure``: one that may share a coarse
    category with the exposed cell; else one that may join another withheld coarse cell
    (the attacker's slack lies where withheld cells of both tables meet); else the
    smallest. ``candidates`` are smallest first."""
    if exposure.side is Side.COARSE:
        near = pair.allowed[exposure.index]
    else:
        near = pair.allowed[pair.allowed[:, exposure.index]].any(axis=0)
    withheld = coarse[:-1] != Status.PUBLISHED
    slack = pair.allowed[withheld].any(axis=0)
    for tier in (near, slack):
        for index in candidates:
            if tier[index]:
                return index
    return candidates[0]
