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
        # The shared total needs the width of the stricter of its two statuses: primary
        # when either table holds it primary (PRIMARY sorts below SECONDARY).
        if Status.PRIMARY in (int(coarse[-1]), int(fine[-1])):
            status[self.fine_cells[-1]] = Status.PRIMARY
        else:
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


def published_joint(
    allowed: BoolArray,
    coarse: IntArray,
    fine: IntArray,
    coarse_status: StatusArray,
    fine_status: StatusArray,
) -> IntArray | None:
    """A whole-number joint table with nobody outside ``allowed`` that agrees with every
    published cell of the two tables (counts and statuses with the total last), or
    ``None`` when there is none: the published cells then show the relation to be wrong.

    This is what an attacker who assumes ``allowed`` can check; the true counts need not
    keep the relation for the published cells to."""
    allowed = np.asarray(allowed, dtype=np.bool_)
    rows, columns = np.nonzero(allowed)
    n_coarse, n_fine = allowed.shape
    coarse_counts = np.append(np.asarray(coarse, dtype=np.int64), int(np.sum(coarse)))
    fine_counts = np.append(np.asarray(fine, dtype=np.int64), int(np.sum(fine)))
    coarse_shown = np.asarray(coarse_status) == Status.PUBLISHED
    fine_shown = np.asarray(fine_status) == Status.PUBLISHED
    coarse_sums = np.zeros((n_coarse + 1, rows.size))
    coarse_sums[rows, np.arange(rows.size)] = 1.0
    coarse_sums[n_coarse] = 1.0
    fine_sums = np.zeros((n_fine + 1, rows.size))
    fine_sums[columns, np.arange(rows.size)] = 1.0
    fine_sums[n_fine] = 1.0
    equations = np.vstack([coarse_sums[coarse_shown], fine_sums[fine_shown]])
    rhs = np.concatenate([coarse_counts[coarse_shown], fine_counts[fine_shown]])
    if rows.size == 0:
        return np.zeros(allowed.shape, dtype=np.int64) if not rhs.any() else None
    if not equations.size:
        return np.zeros(allowed.shape, dtype=np.int64)
    result = linprog(
        np.zeros(rows.size),
        A_eq=equations,
        b_eq=rhs.astype(np.float64),
        bounds=(0, None),
        method="highs",
        integrality=np.ones(rows.size),
    )
    if result.status != 0:
        return None
    joint = np.zeros(allowed.shape, dtype=np.int64)
    joint[rows, columns] = np.rint(result.x).astype(np.int64)
    if not np.array_equal(equations @ joint[rows, columns], rhs) or bool((joint < 0).any()):
        return None
    return joint


@dataclass
class _Belief:
    """A relation the attacker may assume (``number`` among those offered), the cells that
    no withholding of fine cells can widen under it, and the joint tables found so far."""

    number: int
    allowed: BoolArray
    waived: BoolArray
    witnesses: list[FloatArray] = field(default_factory=list)


@dataclass(frozen=True)
class BeliefExposure:
    """A cell found exposed by an attacker who assumes relation ``relation``."""

    relation: int
    pair: LinkedPair
    exposure: LinkedExposure


def _model(
    belief: _Belief,
    coarse: IntArray,
    fine: IntArray,
    coarse_status: StatusArray,
    fine_status: StatusArray,
) -> LinkedModel | None:
    """The joint model of ``belief`` with a joint table that agrees with what is shown, or
    ``None`` when what is shown rules the relation out."""
    joint = published_joint(belief.allowed, coarse, fine, coarse_status, fine_status)
    if joint is None:
        return None
    pair = LinkedPair(joint.sum(axis=1), joint.sum(axis=0), belief.allowed)
    model = LinkedModel(pair, joint)
    model.witnesses = belief.witnesses
    return model


def _beliefs(
    relations: Sequence[npt.ArrayLike],
    coarse: IntArray,
    fine: IntArray,
    coarse_status: StatusArray,
    every_fine: StatusArray,
    threshold: int,
    first: int | None,
) -> list[_Belief]:
    """Every offered relation the published cells can agree with, ``first`` (the one the
    true counts keep) leading, each with the cells already narrower than required when
    every fine cell is withheld. Withholding only shrinks what the attacker knows, so no
    pattern of fine cells can widen those; every other cell is then required its width
    under every relation, and withholding every fine cell passes every audit."""
    order = list(range(len(relations)))
    if first is not None:
        order.remove(first)
        order.insert(0, first)
    beliefs = []
    for number in order:
        belief = _Belief(number, np.asarray(relations[number], dtype=np.bool_), np.array([]))
        model = _model(belief, coarse, fine, coarse_status, every_fine)
        if model is None:
            # Ruled out even by the coarse table and the total alone.
            continue
        status = model.margined(coarse_status, every_fine)
        required = model.required(status, threshold)
        slack = tolerance(model.table)
        withheld = np.flatnonzero((status != Status.PUBLISHED) & (required > 0))
        belief.waived = np.zeros(model.table.n_cells, dtype=np.bool_)
        for cell, (low, high) in model.ranges(status, withheld).items():
            belief.waived[cell] = high - low < required[cell] - slack
        beliefs.append(belief)
    return beliefs


def audit_beliefs(
    beliefs: Sequence[_Belief],
    coarse: IntArray,
    fine: IntArray,
    coarse_status: StatusArray,
    fine_status: StatusArray,
    threshold: int,
) -> list[BeliefExposure]:
    """The exposures under each of ``beliefs`` that the published cells agree with."""
    found = []
    for belief in beliefs:
        model = _model(belief, coarse, fine, coarse_status, fine_status)
        if model is None:
            continue
        for exposure in model.audit(coarse_status, fine_status, threshold, waived=belief.waived):
            found.append(BeliefExposure(belief.number, model.pair, exposure))
    return found


@dataclass(frozen=True)
class LinkedProtection:
    """The two tables' statuses after joint protection (totals last), the relation the
    true counts keep (an index into the relations offered, ``None`` if they broke all of
    them), the fine cells withheld beyond the per-table protection, those shown because
    the coarse table gives them away anyway, and the relations the result was audited
    under: every one offered that the published cells agree with."""

    coarse: StatusArray
    fine: StatusArray
    relation: int | None
    added: int
    shown: int
    audited: tuple[int, ...] = ()


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

    The attacker may assume any of ``relations`` that the published cells agree with,
    whether or not the true counts keep it: under each such relation every withheld cell
    needs its width (the threshold for a primary cell, 1 for a secondary one), whether or
    not the attacker's range then holds the true count, since a narrow range is a
    confident statement about a small cell either way. A relation the published cells
    rule out teaches the attacker that it is wrong and needs no audit. Cells already
    narrow with every fine cell withheld are not asked for a width under that relation
    (no withholding can widen them; see docs/adr/0018-linked-breakdowns.md).

    While an audit finds a cell exposed, one more fine cell is withheld: first those that
    may share a coarse category with the exposed cell, then those that may join another
    withheld coarse cell, then the others, smallest first in each. A secondary fine cell
    of the per-table pattern that what is shown pins down under the relation the true
    counts keep is shown instead. The coarse table keeps its per-table pattern. The last
    resort, every fine cell withheld, passes every audit by construction; should it not,
    :class:`ProtectionError` is raised rather than a pattern returned. Counts that break
    every relation get every fine cell withheld.
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
    _fixed_coarse, fixed_fine = fixed_cells(model, coarse_now, fine_now)
    if bool((fixed_fine[:-1] & ~pair.fine_alone & (fine_now[:-1] == Status.PRIMARY)).any()):
        raise ProtectionError("A small fine cell is fixed by the coarse table.", [])
    # A fine cell the coarse table fixes adds nothing when shown, and hiding it hides
    # nothing; a coarse one is left as it is, so that the coarse table alone, as the
    # annual report shows it, stays protected on its own.
    fine_now[:-1][fixed_fine[:-1] & (fine_now[:-1] == Status.SECONDARY)] = Status.PUBLISHED
    every = _withhold_all(original)
    beliefs = _beliefs(relations, coarse_counts, fine_counts, coarse_now, every, threshold, number)
    final = last_resort(fine_now, fixed_fine)
    candidates = [
        int(index)
        for index in np.argsort(fine_counts, kind="stable")
        if fine_now[index] == Status.PUBLISHED and not fixed_fine[index]
    ]
    slack = tolerance(model.table)

    def audit(fine_status: StatusArray) -> list[BeliefExposure]:
        return audit_beliefs(
            beliefs, coarse_counts, fine_counts, coarse_now, fine_status, threshold
        )

    def done(fine_status: StatusArray) -> LinkedProtection:
        audited = tuple(
            belief.number
            for belief in beliefs
            if published_joint(belief.allowed, coarse_counts, fine_counts, coarse_now, fine_status)
            is not None
        )
        return _result(coarse_now, fine_status, original, number, audited)

    while True:
        exposed = audit(fine_now)
        if not exposed:
            return done(fine_now)
        # A cell withheld only to protect others, now pinned by what is shown under the
        # relation the counts keep: showing it changes nothing that attacker knows, and
        # an attacker assuming another relation is at most told it is wrong. Only the
        # per-table pattern's own secondary cells are shown again, each once, so the loop
        # always ends.
        pinned = [
            found.exposure.index
            for found in exposed
            if found.relation == number
            and found.exposure.side is Side.FINE
            and found.exposure.width <= slack
            and found.exposure.index < pair.fine.size
            and original[found.exposure.index] == Status.SECONDARY
            and fine_now[found.exposure.index] == Status.SECONDARY
        ]
        if pinned:
            fine_now[pinned] = Status.PUBLISHED
            continue
        if not candidates:
            break
        first = exposed[0]
        pick = _next_cell(first.pair, first.exposure, coarse_now, candidates)
        candidates.remove(pick)
        fine_now[pick] = Status.SECONDARY
    # Cells shown again along the way may have kept the cells around them exposed; every
    # fine cell withheld but those the coarse table fixes is safe under the relation the
    # counts keep, and every fine cell withheld under every relation.
    for resort in (final, every):
        if not audit(resort):
            return done(resort)
    raise ProtectionError(
        "Withholding every fine cell still left a cell exposed; nothing was published.", []
    )


def _result(
    coarse: StatusArray,
    fine: StatusArray,
    original: StatusArray,
    relation: int,
    audited: tuple[int, ...],
) -> LinkedProtection:
    added = int(((fine != Status.PUBLISHED) & (original == Status.PUBLISHED)).sum())
    shown = int(((fine == Status.PUBLISHED) & (original == Status.SECONDARY)).sum())
    return LinkedProtection(coarse, fine, relation, added, shown, audited)


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
