"""Splitting a text into paragraphs and carrying each paragraph's id from version to version.

A paragraph is one top-level Markdown block (a paragraph, a heading, a whole list, a quote,
a table, a code block). When a new version is saved, its paragraphs are matched with the
previous version's by `difflib.SequenceMatcher` over the two lists: unchanged paragraphs keep
their ids, and within a changed stretch a paragraph keeps the id of the old one it most
resembles when they are at least `SIMILAR` alike (a light edit). Inserted paragraphs get new
ids; removed paragraphs' ids are gone from the new version. Comments point at a paragraph id
and the version they were made on, so they follow their paragraph through the versions.
"""

import difflib
import re
import secrets
from collections.abc import Iterable, Sequence
from typing import TypedDict

from markdown_it import MarkdownIt

# How alike (difflib ratio) an edited paragraph must stay to keep its id.
SIMILAR = 0.6

_parser = MarkdownIt("commonmark", {"html": False}).enable("table")
_SPACES = re.compile(r"\s+")


class Paragraph(TypedDict):
    id: str
    text: str


def split(body: str) -> list[str]:
    """The top-level blocks of a Markdown text, each as its own Markdown source."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[str] = []
    for token in _parser.parse("\n".join(lines)):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        text = "\n".join(lines[start:end]).strip("\n")
        if text.strip():
            blocks.append(text)
    return blocks


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def new_id(taken: set[str]) -> str:
    while True:
        candidate = "p" + secrets.token_hex(4)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def anchor(previous: Sequence[Paragraph], texts: Sequence[str]) -> list[Paragraph]:
    """Gives each of `texts` the id of the previous paragraph it continues, or a new id."""
    old = [normalise(item["text"]) for item in previous]
    new = [normalise(text) for text in texts]
    ids: list[str | None] = [None] * len(texts)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                ids[j1 + offset] = previous[i1 + offset]["id"]
        elif tag == "replace":
            _pair_edited(previous, old, new, range(i1, i2), range(j1, j2), ids)
    taken = {item["id"] for item in previous}
    return [
        Paragraph(id=ids[index] or new_id(taken), text=text) for index, text in enumerate(texts)
    ]


def _pair_edited(
    previous: Sequence[Paragraph],
    old: Sequence[str],
    new: Sequence[str],
    old_range: Iterable[int],
    new_range: Iterable[int],
    ids: list[str | None],
) -> None:
    """Pairs lightly edited paragraphs in order, each old one used at most once."""
    remaining = list(old_range)
    for j in new_range:
        best, best_ratio = -1, SIMILAR
        for i in remaining:
            ratio = difflib.SequenceMatcher(a=old[i], b=new[j], autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best >= 0:
            ids[j] = previous[best]["id"]
            # Keep the order: later new paragraphs pair only with later old ones.
            remaining = [i for i in remaining if i > best]


def paragraphs_for(body: str, previous: Sequence[Paragraph] = ()) -> list[Paragraph]:
    """The paragraphs of `body`, anchored to the previous version's."""
    return anchor(previous, split(body))
