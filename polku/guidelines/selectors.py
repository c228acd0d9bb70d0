"""Reads of guidelines, always through the reader's scope."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import Http404

from polku.guidelines.diff import Comparison, compare
from polku.guidelines.models import Comment, Guideline, GuidelineText


@dataclass(frozen=True)
class PlacedComments:
    """Comments placed on the paragraphs of one text; `detached` lost their paragraph."""

    by_paragraph: dict[str, list[Comment]] = field(default_factory=dict)
    on_whole: list[Comment] = field(default_factory=list)
    detached: list[Comment] = field(default_factory=list)


def place_comments(*, text: GuidelineText, comments: Iterable[Comment]) -> PlacedComments:
    """Puts each comment on the paragraph with its id in this text, whichever version it was on."""
    ids = {item["id"] for item in text.paragraphs}
    placed = PlacedComments()
    for comment in comments:
        if comment.language != text.language:
            continue
        if not comment.paragraph_id:
            placed.on_whole.append(comment)
        elif comment.paragraph_id in ids:
            placed.by_paragraph.setdefault(comment.paragraph_id, []).append(comment)
        else:
            placed.detached.append(comment)
    return placed


def version_text(*, guideline: Guideline, number: int, language: str) -> GuidelineText:
    """A version's text in a language (404 when either does not exist)."""
    text = (
        GuidelineText.objects.filter(
            version__guideline=guideline, version__number=number, language=language
        )
        .select_related("version")
        .first()
    )
    if text is None:
        raise Http404
    return text


def version_comparison(
    *, guideline: Guideline, old_number: int, new_number: int, language: str
) -> Comparison:
    """Two versions of the guideline's text in one language, paragraph by paragraph."""
    old = version_text(guideline=guideline, number=old_number, language=language)
    new = version_text(guideline=guideline, number=new_number, language=language)
    return compare(old.paragraphs, new.paragraphs)
