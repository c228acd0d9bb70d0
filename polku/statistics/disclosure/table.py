"""Frequency tables: reading and validating the CSV, and the table with all its margins.

A table has one column per dimension and a ``count`` column, one row per cell of the full
cross-classification. :class:`MarginedTable` adds every marginal total (dimension value
``Total``), the grand total included, and the 0/1 matrix saying which interior cells each
published cell adds up: what an attacker knows are the rows of that matrix.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

COUNT_COLUMN = "count"
TOTAL = "Total"
# Each interior cell is a variable of the attacker's linear programmes; past this the
# programmes stop being a matter of seconds, and no published table is anywhere near it.
MAX_CELLS = 20_000
# Counts of people; far larger values are a mistaken column, and would only strain the
# solver's tolerances.
MAX_COUNT = 10**12


class TableError(ValueError):
    """A frequency table that cannot be used, with what is wrong and where.

    ``code`` and ``params`` identify the problem independently of the English message, so a
    user interface can show its own translated text.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        line: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.column = column
        self.params: dict[str, Any] = {"line": line, "column": column, **params}


@dataclass(frozen=True)
class FrequencyTable:
    """A validated full cross-classification: dimension names, their values, the counts.

    ``counts[i_1, ..., i_d]`` is the count of the cell with value ``values[k][i_k]`` of each
    dimension ``k``, the values in the order they first appear in the input.
    """

    dimensions: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    counts: IntArray

    def __post_init__(self) -> None:
        if self.counts.shape != tuple(len(values) for values in self.values):
            raise ValueError("counts must have one axis per dimension, sized by its values")

    @classmethod
    def from_array(
        cls,
        counts: npt.ArrayLike,
        *,
        dimensions: Sequence[str] | None = None,
        values: Sequence[Sequence[str]] | None = None,
    ) -> FrequencyTable:
        """A table from an array of counts; dimensions and values are named if not given."""
        array = np.asarray(counts)
        if array.ndim < 1 or array.size == 0:
            raise TableError("The table has no cells.", code="no_cells")
        if not np.issubdtype(array.dtype, np.integer) or bool((array < 0).any()):
            raise TableError("Counts must be non-negative whole numbers.", code="count_invalid")
        if bool((array > MAX_COUNT).any()):
            raise TableError(f"Counts may be at most {MAX_COUNT:,}.", code="count_too_large")
        if array.size > MAX_CELLS:
            raise TableError(
                f"The table has {array.size:,} cells; at most {MAX_CELLS:,} are supported.",
                code="too_many_cells",
            )
        names = tuple(dimensions or (f"D{axis + 1}" for axis in range(array.ndim)))
        labels = tuple(
            tuple(values[axis])
            if values is not None
            else tuple(f"{name}{index + 1}" for index in range(size))
            for axis, (name, size) in enumerate(zip(names, array.shape, strict=True))
        )
        for name, axis_labels in zip(names, labels, strict=True):
            if len(set(axis_labels)) != len(axis_labels):
                raise TableError(
                    f"Dimension {name!r} repeats a value.", code="duplicate_value", column=name
                )
            for label in axis_labels:
                if label.casefold() == TOTAL.casefold():
                    raise TableError(
                        f"Dimension {name!r}: {label!r} is reserved for the marginal totals.",
                        code="total_value",
                        column=name,
                    )
        return cls(names, labels, array.astype(np.int64))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(size) for size in self.counts.shape)

    def with_margins(self) -> MarginedTable:
        return MarginedTable(self)


@dataclass(frozen=True)
class MarginedTable:
    """A table with every marginal total, flattened in output order.

    Each dimension gets one more value, ``Total``, placed last; cell ``c`` of the flattened
    margined table (C order over the margined shape) has count ``counts[c]`` and is the sum
    of the interior cells ``j`` with ``incidence[c, j] == 1``. Interior cell ``j`` is
    margined cell ``interior[j]``.
    """

    table: FrequencyTable
    shape: tuple[int, ...] = field(init=False)
    counts: IntArray = field(init=False, repr=False)
    interior: IntArray = field(init=False, repr=False)
    is_interior: BoolArray = field(init=False, repr=False)
    totals: IntArray = field(init=False, repr=False)
    incidence: sparse.csr_array = field(init=False, repr=False)

    def __post_init__(self) -> None:
        sizes = self.table.shape
        shape = tuple(size + 1 for size in sizes)
        margined = np.zeros(shape, dtype=np.int64)
        margined[tuple(slice(0, size) for size in sizes)] = self.table.counts
        for axis, size in enumerate(sizes):
            index: list[slice | int] = [slice(None)] * len(sizes)
            index[axis] = size
            margined[tuple(index)] = margined.take(range(size), axis=axis).sum(axis=axis)
        grid = np.indices(sizes).reshape(len(sizes), -1)
        n_interior = grid.shape[1]
        rows: list[IntArray] = []
        for summed in itertools.product((False, True), repeat=len(sizes)):
            position = grid.copy()
            for axis, is_summed in enumerate(summed):
                if is_summed:
                    position[axis] = sizes[axis]
            rows.append(np.asarray(np.ravel_multi_index(tuple(position), shape), dtype=np.int64))
        n_cells = math.prod(shape)
        incidence = sparse.csr_array(
            (
                np.ones(n_interior * len(rows)),
                (np.concatenate(rows), np.tile(np.arange(n_interior), len(rows))),
            ),
            shape=(n_cells, n_interior),
        )
        totals = (np.indices(shape).reshape(len(shape), -1) == np.array(sizes)[:, None]).sum(axis=0)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "counts", margined.reshape(-1))
        object.__setattr__(self, "interior", rows[0])
        object.__setattr__(self, "is_interior", totals == 0)
        object.__setattr__(self, "totals", totals.astype(np.int64))
        object.__setattr__(self, "incidence", incidence)

    @property
    def n_cells(self) -> int:
        return int(self.counts.size)

    def labels(self, cell: int) -> tuple[str, ...]:
        """The dimension values of margined cell ``cell``, ``Total`` for a summed dimension."""
        position = np.unravel_index(cell, self.shape)
        return tuple(
            values[int(index)] if int(index) < len(values) else TOTAL
            for values, index in zip(self.table.values, position, strict=True)
        )

    def describe(self, cell: int) -> str:
        return ", ".join(
            f"{name}={label}"
            for name, label in zip(self.table.dimensions, self.labels(cell), strict=True)
        )


def read_frequency_table(text: str) -> FrequencyTable:
    """Parse and validate a CSV frequency table: dimension columns and a ``count`` column.

    Line numbers in errors are those of the file, the header being line 1.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    dimensions: tuple[str, ...] = ()
    count_index = -1
    dimension_indices: list[int] = []
    seen: dict[tuple[str, ...], int] = {}
    counts: list[int] = []
    try:
        for raw in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in raw]
            if not any(cells):
                continue
            if header is None:
                header = cells
                count_index, dimension_indices = _read_header(cells, line=line)
                dimensions = tuple(cells[index] for index in dimension_indices)
                continue
            if len(cells) != len(header):
                raise TableError(
                    f"Line {line} has {len(cells)} values but the header has {len(header)}.",
                    code="row_length",
                    line=line,
                )
            key = tuple(cells[index] for index in dimension_indices)
            for name, value in zip(dimensions, key, strict=True):
                _check_value(name, value, line=line)
            if key in seen:
                raise TableError(
                    f"Lines {seen[key]} and {line} are the same cell ({_cell(dimensions, key)}).",
                    code="duplicate_cell",
                    line=line,
                    first_line=seen[key],
                )
            seen[key] = line
            counts.append(_parse_count(cells[count_index], line=line))
    except csv.Error as error:
        raise TableError(
            f"Line {reader.line_num} is not valid CSV: {error}.",
            code="csv",
            line=reader.line_num,
        ) from None
    if header is None:
        raise TableError("The table is empty.", code="empty")
    if not seen:
        raise TableError("The table has a header but no cells.", code="no_cells")
    return _build(dimensions, list(seen), counts)


def _read_header(cells: list[str], *, line: int) -> tuple[int, list[int]]:
    lowered = [cell.lower() for cell in cells]
    if lowered.count(COUNT_COLUMN) != 1:
        raise TableError(
            "The header needs exactly one column named 'count'.",
            code="count_column",
            line=line,
        )
    count_index = lowered.index(COUNT_COLUMN)
    dimension_indices = [index for index in range(len(cells)) if index != count_index]
    if not dimension_indices:
        raise TableError(
            "The table needs at least one dimension column besides 'count'.",
            code="no_dimension",
            line=line,
        )
    names: set[str] = set()
    for index in dimension_indices:
        name = cells[index]
        if not name:
            raise TableError("A dimension column has no name.", code="unnamed_dimension", line=line)
        if name.lower() in {COUNT_COLUMN, "status"} or name in names:
            raise TableError(
                f"Column {name!r} appears twice or clashes with the output columns.",
                code="duplicate_dimension",
                line=line,
                column=name,
            )
        names.add(name)
    return count_index, dimension_indices


def _check_value(name: str, value: str, *, line: int) -> None:
    if not value:
        raise TableError(
            f"Line {line}, column {name!r}: the value is empty.",
            code="empty_value",
            line=line,
            column=name,
        )
    if value.casefold() == TOTAL.casefold():
        raise TableError(
            f"Line {line}, column {name!r}: {value!r} is reserved for the marginal totals, "
            "which are computed; give the interior cells only.",
            code="total_value",
            line=line,
            column=name,
        )


def _parse_count(value: str, *, line: int) -> int:
    try:
        number = float(value)
    except ValueError:
        raise TableError(
            f"Line {line}, column 'count': {value!r} is not a number.",
            code="count_not_number",
            line=line,
            column=COUNT_COLUMN,
        ) from None
    if not math.isfinite(number) or not number.is_integer():
        raise TableError(
            f"Line {line}, column 'count': {value!r} is not a whole number.",
            code="count_fractional",
            line=line,
            column=COUNT_COLUMN,
        )
    if number < 0:
        raise TableError(
            f"Line {line}, column 'count': {value!r} is negative.",
            code="count_negative",
            line=line,
            column=COUNT_COLUMN,
        )
    if number > MAX_COUNT:
        raise TableError(
            f"Line {line}, column 'count': {value!r} is larger than {MAX_COUNT:,}.",
            code="count_too_large",
            line=line,
            column=COUNT_COLUMN,
        )
    return int(number)


def _cell(dimensions: Iterable[str], key: Iterable[str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in zip(dimensions, key, strict=True))


def _build(
    dimensions: tuple[str, ...], keys: list[tuple[str, ...]], counts: list[int]
) -> FrequencyTable:
    values = tuple(
        tuple(dict.fromkeys(key[axis] for key in keys)) for axis in range(len(dimensions))
    )
    size = math.prod(len(axis_values) for axis_values in values)
    if size > MAX_CELLS:
        raise TableError(
            f"The full cross-classification has {size:,} cells; at most {MAX_CELLS:,} "
            "are supported.",
            code="too_many_cells",
        )
    if len(keys) != size:
        present = set(keys)
        missing = next(key for key in itertools.product(*values) if key not in present)
        raise TableError(
            f"The table needs one row per cell of the full cross-classification "
            f"({size:,} cells, {len(keys):,} given); missing for example: "
            f"{_cell(dimensions, missing)}.",
            code="missing_cell",
            missing=missing,
        )
    array = np.zeros(tuple(len(axis_values) for axis_values in values), dtype=np.int64)
    lookup = [{value: index for index, value in enumerate(axis)} for axis in values]
    for key, count in zip(keys, counts, strict=True):
        array[tuple(lookup[axis][value] for axis, value in enumerate(key))] = count
    return FrequencyTable(dimensions, values, array)
