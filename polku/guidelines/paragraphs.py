"""Splitting a text into paragraphs and carrying each paragraph's id from version to version.

A paragraph is one top-level Markdown block (a paragraph, a heading, a whole list, a quote,
a table, a code block). When a new version is saved, its paragraphs are matched with the
previous version's by `difflib.SequenceMatcher` over the two lists: unchanged paragraphs keep
their ids, and within a changed stretch a paragraph keeps the id of the old one it most
resembles when they are at least `SIMILAR` alike (a light edit), the closest pairs first. Inserted paragraphs get new
ids; removed paragraphs' ids are gone from the new version. Comments point at a paragraph id
and the version they were made on, so they follow their paragraph through the versions.
"""

import difflib
import re
import secrets
from collections.abc import Sequence
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
    old_range: range,
    new_range: range,
    ids: list[str | None],
) -> None:
    """Pairs lightly edited paragraphs, the most alike first, never crossing one another.

    Taking the closest pairs first means a new paragraph that happens to resemble an old one
    cannot take the id of the old paragraph's real (edited) successor.
    """
    candidates = []
    for i in old_range:
        for j in new_range:
            matcher = difflib.SequenceMatcher(a=old[i], b=new[j], autojunk=False)
            # The cheap upper bounds first: most pairs in a rewritten stretch are far apart.
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                candidates.append((-ratio, i, j))
    paired: list[tuple[int, int]] = []
    for _ratio, i, j in sorted(candidates):
        crosses = any(i == a or j == b or (i < a) != (j < b) for a, b in paired)
        if not crosses:
            paired.append((i, j))
            ids[j] = previous[i]["id"]


def paragraphs_for(body: str, previous: Sequence[Paragraph] = ()) -> list[Paragraph]:
    """The paragraphs of `body`, anchored to the previous version's."""
    return anchor(previous, split(body))
