"""Word-level comparison of two pieces of text, shared by every page that compares versions.

A text is cut into words and the spaces between them, `difflib.SequenceMatcher` lines the
two up, and the result is two lists of runs — unchanged, removed, added — that a template
wraps in ``<del>`` and ``<ins>``.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Change = Literal["same", "added", "removed"]

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text: unchanged, added or removed."""

    text: str
    change: Change


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Joins neighbouring runs of the same kind and drops empty ones."""
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].change == segment.change:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.change)
        else:
            merged.append(segment)
    return merged


def compare_words(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """The two texts cut into unchanged and changed runs of words."""
    old_words = _WORDS.findall(old)
    new_words = _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text = "".join(old_words[i1:i2])
        new_text = "".join(new_words[j1:j2])
        if tag == "equal":
            old_segments.append(Segment(old_text, "same"))
            new_segments.append(Segment(new_text, "same"))
            continue
        old_segments.append(Segment(old_text, "removed"))
        new_segments.append(Segment(new_text, "added"))
    return merge_segments(old_segments), merge_segments(new_segments)
