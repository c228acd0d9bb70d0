"""Readable comparisons of two texts, line by line with the changed words marked.

Both layouts come from one line-level `difflib.SequenceMatcher` pass; lines that were
rewritten are paired and compared again word by word, so a table can wrap just the changed
words in ``<ins>``/``<del>``. Long runs of unchanged lines fold into a gap row.
"""

import difflib
from dataclasses import dataclass, field
from typing import Literal

from polku.core.textdiff import Change, Segment, compare_words

RowKind = Literal["equal", "insert", "delete", "replace", "gap"]

# Unchanged lines shown around each change; the rest fold into a gap.
CONTEXT_LINES = 3


@dataclass(frozen=True)
class SideBySideRow:
    """One row of a two-column comparison; a gap row stands for `skipped` unchanged lines."""

    kind: RowKind
    old_number: int | None = None
    new_number: int | None = None
    old: list[Segment] = field(default_factory=list)
    new: list[Segment] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True)
class UnifiedLine:
    """One line of a single-column comparison; a gap stands for `skipped` unchanged lines."""

    change: Change | Literal["gap"]
    old_number: int | None = None
    new_number: int | None = None
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True)
class Comparison:
    """Both layouts of one comparison, and how many lines were added and removed."""

    side_by_side: list[SideBySideRow]
    unified: list[UnifiedLine]
    added: int
    removed: int

    @property
    def unchanged(self) -> bool:
        return self.added == 0 and self.removed == 0


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text else []


def _whole(line: str, change: Change) -> list[Segment]:
    return [Segment(line, change)] if line else []


def _visible(is_equal: list[bool], context: int) -> list[bool]:
    """Which rows to show: every change, and `context` unchanged rows either side of one."""
    count = len(is_equal)
    changed = [index for index, equal in enumerate(is_equal) if not equal]
    shown = [False] * count
    for index in changed:
        for near in range(max(0, index - context), min(count, index + context + 1)):
            shown[near] = True
    return shown


def compare(old: str, new: str, *, context: int | None = CONTEXT_LINES) -> Comparison:
    """Compares two texts; `context=None` shows every unchanged line instead of folding them."""
    old_lines = _lines(old)
    new_lines = _lines(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[SideBySideRow] = []
    unified: list[UnifiedLine] = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                line = old_lines[i1 + offset]
                rows.append(
                    SideBySideRow(
                        "equal",
                        i1 + offset + 1,
                        j1 + offset + 1,
                        _whole(line, "same"),
                        _whole(line, "same"),
                    )
                )
                unified.append(
                    UnifiedLine("same", i1 + offset + 1, j1 + offset + 1, _whole(line, "same"))
                )
            continue
        removed += i2 - i1
        added += j2 - j1
        pairs = max(i2 - i1, j2 - j1)
        old_unified: list[UnifiedLine] = []
        new_unified: list[UnifiedLine] = []
        for offset in range(pairs):
            old_index = i1 + offset if i1 + offset < i2 else None
            new_index = j1 + offset if j1 + offset < j2 else None
            old_line = old_lines[old_index] if old_index is not None else ""
            new_line = new_lines[new_index] if new_index is not None else ""
            if old_index is not None and new_index is not None:
                old_segments, new_segments = compare_words(old_line, new_line)
                kind: RowKind = "replace"
            elif old_index is not None:
                old_segments, new_segments, kind = _whole(old_line, "removed"), [], "delete"
            else:
                old_segments, new_segments, kind = [], _whole(new_line, "added"), "insert"
            rows.append(
                SideBySideRow(
                    kind,
                    old_index + 1 if old_index is not None else None,
                    new_index + 1 if new_index is not None else None,
                    old_segments,
                    new_segments,
                )
            )
            if old_index is not None:
                old_unified.append(UnifiedLine("removed", old_index + 1, None, old_segments))
            if new_index is not None:
                new_unified.append(UnifiedLine("added", None, new_index + 1, new_segments))
        unified.extend(old_unified)
        unified.extend(new_unified)
    if context is not None:
        rows = _fold_rows(rows, context)
        unified = _fold_lines(unified, context)
    return Comparison(side_by_side=rows, unified=unified, added=added, removed=removed)


def _fold_rows(rows: list[SideBySideRow], context: int) -> list[SideBySideRow]:
    shown = _visible([row.kind == "equal" for row in rows], context)
    folded: list[SideBySideRow] = []
    skipped = 0
    for row, visible in zip(rows, shown, strict=True):
        if visible:
            if skipped:
                folded.append(SideBySideRow("gap", skipped=skipped))
                skipped = 0
            folded.append(row)
        else:
            skipped += 1
    if skipped:
        folded.append(SideBySideRow("gap", skipped=skipped))
    return folded


def _fold_lines(lines: list[UnifiedLine], context: int) -> list[UnifiedLine]:
    shown = _visible([line.change == "same" for line in lines], context)
    folded: list[UnifiedLine] = []
    skipped = 0
    for line, visible in zip(lines, shown, strict=True):
        if visible:
            if skipped:
                folded.append(UnifiedLine("gap", skipped=skipped))
                skipped = 0
            folded.append(line)
        else:
            skipped += 1
    if skipped:
        folded.append(UnifiedLine("gap", skipped=skipped))
    return folded
