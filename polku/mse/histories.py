"""Capture-history tables: reading, validating and expanding to every observable history."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

# 2^15 - 1 observable histories is already far beyond any published multi-list study; the
# cap keeps a mistaken upload (an ID column read as a list, say) from exhausting memory.
MAX_LISTS = 15
COUNT_COLUMN = "count"


class CaptureHistoryError(ValueError):
    """A capture-history table that cannot be used, with what is wrong and where.

    ``code`` and ``params`` identify the problem independently of the English message, so a
    user interface can show its own translated text.
    """

    def __init__(
        self, message: str, *, code: str, line: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.column = column
        self.params: dict[str, Any] = {"line": line, "column": column}


@dataclass(frozen=True)
class CaptureHistories:
    """A validated capture-history table: list names, one 0/1 row per history, and counts.

    Histories are also indexed by bitmask (list ``i`` is bit ``i``), so cell ``omega`` of
    :meth:`cell_counts` is the number of people on exactly the lists set in ``omega``.
    """

    lists: tuple[str, ...]
    histories: IntArray
    counts: IntArray
    masks: IntArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = np.left_shift(np.int64(1), np.arange(len(self.lists), dtype=np.int64))
        object.__setattr__(self, "masks", self.histories @ weights)

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def n_observed(self) -> int:
        return int(self.counts.sum())

    def cell_counts(self) -> IntArray:
        """Counts of all 2^t histories indexed by bitmask; cell 0 (on no list) is 0."""
        cells = np.zeros(1 << self.n_lists, dtype=np.int64)
        np.add.at(cells, self.masks, self.counts)
        return cells

    @classmethod
    def from_rows(
        cls,
        lists: Sequence[str],
        rows: Iterable[Sequence[int]],
        counts: Iterable[float],
    ) -> CaptureHistories:
        """Validate histories given as Python values (rows of 0/1 and their counts)."""
        names = _validate_lists([str(name) for name in lists])
        row_list = [list(row) for row in rows]
        count_list = list(counts)
        if len(row_list) != len(count_list):
            raise CaptureHistoryError(
                f"{len(row_list)} histories but {len(count_list)} counts.",
                code="length_mismatch",
            )
        parsed_rows: list[list[int]] = []
        parsed_counts: list[int] = []
        for index, (row, count) in enumerate(zip(row_list, count_list, strict=True)):
            line = index + 1
            if len(row) != len(names):
                raise CaptureHistoryError(
                    f"History {line} has {len(row)} values but there are {len(names)} lists.",
                    code="row_length",
                    line=line,
                )
            values = []
            for name, value in zip(names, row, strict=True):
                if isinstance(value, bool) or value not in (0, 1):
                    raise CaptureHistoryError(
                        f"History {line}, list {name!r}: expected 0 or 1, got {value!r}.",
                        code="not_binary",
                        line=line,
                        column=name,
                    )
                values.append(int(value))
            parsed_rows.append(values)
            parsed_counts.append(_whole_count(count, line=line))
        return _build(names, parsed_rows, parsed_counts, lines=None)


def read_capture_histories(text: str) -> CaptureHistories:
    """Parse and validate a CSV capture-history table: 0/1 list columns and a ``count`` column.

    Line numbers in errors are those of the file, the header being line 1.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    rows: list[list[int]] = []
    counts: list[int] = []
    lines: list[int] = []
    names: tuple[str, ...] = ()
    count_index = -1
    list_indices: list[int] = []
    for raw in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if header is None:
            header = cells
            lowered = [cell.lower() for cell in cells]
            if lowered.count(COUNT_COLUMN) != 1:
                raise CaptureHistoryError(
                    "The header needs exactly one column named 'count'.",
                    code="count_column",
                    line=line,
                )
            count_index = lowered.index(COUNT_COLUMN)
            list_indices = [index for index in range(len(cells)) if index != count_index]
            names = _validate_lists([cells[index] for index in list_indices], line=line)
            continue
        if len(cells) != len(header):
            raise CaptureHistoryError(
                f"Line {line} has {len(cells)} values but the header has {len(header)}.",
                code="row_length",
                line=line,
            )
        row = []
        for index, name in zip(list_indices, names, strict=True):
            value = cells[index]
            if value not in ("0", "1"):
                raise CaptureHistoryError(
                    f"Line {line}, column {name!r}: expected 0 or 1, got {value!r}.",
                    code="not_binary",
                    line=line,
                    column=name,
                )
            row.append(int(value))
        rows.append(row)
        counts.append(_parse_count(cells[count_index], line=line))
        lines.append(line)
    if header is None:
        raise CaptureHistoryError("The table is empty.", code="empty")
    return _build(names, rows, counts, lines=lines)


def _validate_lists(names: list[str], line: int | None = None) -> tuple[str, ...]:
    if len(names) < 2:
        raise CaptureHistoryError(
            f"At least 2 lists are needed; the table has {len(names)}.",
            code="too_few_lists",
            line=line,
        )
    if len(names) > MAX_LISTS:
        raise CaptureHistoryError(
            f"At most {MAX_LISTS} lists are supported; the table has {len(names)}.",
            code="too_many_lists",
            line=line,
        )
    seen: set[str] = set()
    for name in names:
        if not name:
            raise CaptureHistoryError("A list column has no name.", code="unnamed_list", line=line)
        if ":" in name or "," in name:
            raise CaptureHistoryError(
                f"List name {name!r} may not contain ':' or ','.",
                code="list_name",
                line=line,
                column=name,
            )
        if name in seen:
            raise CaptureHistoryError(
                f"List {name!r} appears twice in the header.",
                code="duplicate_list",
                line=line,
                column=name,
            )
        seen.add(name)
    return tuple(names)


def _parse_count(value: str, *, line: int) -> int:
    try:
        number = float(value)
    except ValueError:
        raise CaptureHistoryError(
            f"Line {line}, column 'count': {value!r} is not a number.",
            code="count_not_number",
            line=line,
            column=COUNT_COLUMN,
        ) from None
    return _whole_count(number, line=line, shown=value)


def _whole_count(value: object, *, line: int, shown: str | None = None) -> int:
    text = shown if shown is not None else repr(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CaptureHistoryError(
            f"Line {line}, column 'count': {text} is not a number.",
            code="count_not_number",
            line=line,
            column=COUNT_COLUMN,
        )
    number = float(value)
    if not math.isfinite(number) or not number.is_integer():
        raise CaptureHistoryError(
            f"Line {line}, column 'count': {text} is not a whole number.",
            code="count_fractional",
            line=line,
            column=COUNT_COLUMN,
        )
    if number < 0:
        raise CaptureHistoryError(
            f"Line {line}, column 'count': {text} is negative.",
            code="count_negative",
            line=line,
            column=COUNT_COLUMN,
        )
    return int(number)


def _build(
    names: tuple[str, ...],
    rows: list[list[int]],
    counts: list[int],
    *,
    lines: list[int] | None,
) -> CaptureHistories:
    def where(index: int) -> int:
        return lines[index] if lines is not None else index + 1

    label = "Line" if lines is not None else "History"
    if not rows:
        raise CaptureHistoryError("The table has no capture histories.", code="no_rows")
    first_seen: dict[tuple[int, ...], int] = {}
    for index, row in enumerate(rows):
        key = tuple(row)
        if not any(key):
            raise CaptureHistoryError(
                f"{label} {where(index)} is on no list; that count is what is estimated and "
                "cannot be given.",
                code="all_zero_row",
                line=where(index),
            )
        if key in first_seen:
            raise CaptureHistoryError(
                f"{label} {where(index)} repeats the history of {label.lower()} "
                f"{where(first_seen[key])}; give each history once with its total count.",
                code="duplicate_history",
                line=where(index),
            )
        first_seen[key] = index
    histories = np.array(rows, dtype=np.int64)
    count_array = np.array(counts, dtype=np.int64)
    if int(count_array.sum()) == 0:
        raise CaptureHistoryError("Every count is zero.", code="no_one_observed")
    on_list = count_array @ histories
    for name, total in zip(names, on_list, strict=True):
        if total == 0:
            raise CaptureHistoryError(
                f"No one is on list {name!r}; remove the list or check the table.",
                code="empty_list",
                column=name,
            )
    return CaptureHistories(lists=names, histories=histories, counts=count_array)
