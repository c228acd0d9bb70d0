"""A readable side-by-side comparison of two versions' texts, paragraph by paragraph.

Paragraphs are aligned by their ids (see paragraphs.py), so a paragraph that moved down
because another was inserted above it is still compared with itself. Within a changed
paragraph the changed words are marked, to be wrapped in <del> and <ins>.
"""

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from polku.core.textdiff import Segment, compare_words
from polku.guidelines.paragraphs import Paragraph

RowKind = Literal["same", "changed", "added", "removed"]


@dataclass(frozen=True)
class Row:
    """One paragraph in both versions; `old` or `new` is empty when it was added or removed."""

    kind: RowKind
    paragraph_id: str
    old_number: int | None = None
    new_number: int | None = None
    old: list[Segment] = field(default_factory=list)
    new: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    rows: list[Row]
    added: int
    removed: int
    changed: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(old: Sequence[Paragraph], new: Sequence[Paragraph]) -> Comparison:
    """Aligns the two paragraph lists by id and marks what changed in each paragraph."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(
        a=[item["id"] for item in old], b=[item["id"] for item in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                before, after = old[i1 + offset], new[j1 + offset]
                numbers = {"old_number": i1 + offset + 1, "new_number": j1 + offset + 1}
                if before["text"] == after["text"]:
                    same = [Segment(before["text"], "same")]
                    rows.append(Row("same", after["id"], old=same, new=same, **numbers))
                else:
                    left, right = compare_words(before["text"], after["text"])
                    rows.append(Row("changed", after["id"], old=left, new=right, **numbers))
            continue
        for index in range(i1, i2):
            item = old[index]
            rows.append(
                Row(
                    "removed",
                    item["id"],
                    old_number=index + 1,
                    old=[Segment(item["text"], "removed")],
                )
            )
        for index in range(j1, j2):
            item = new[index]
            rows.append(
                Row("added", item["id"], new_number=index + 1, new=[Segment(item["text"], "added")])
            )
    return Comparison(
        rows=rows,
        added=sum(row.kind == "added" for row in rows),
        removed=sum(row.kind == "removed" for row in rows),
        changed=sum(row.kind == "changed" for row in rows),
    )
