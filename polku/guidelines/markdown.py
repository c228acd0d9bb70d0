"""Markdown to safe HTML: CommonMark with raw HTML off, then an allow-list sanitiser.

Two locks on one door: markdown-it never passes HTML written in the text through (it is
escaped), and nh3 then keeps only the listed elements and attributes and only http(s),
mailto and relative links, so no script, event handler or javascript: URL can reach a page
even if the parser let one by.
"""

import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from nh3 import clean

from polku.guidelines.paragraphs import Paragraph

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _first_segment(url: str) -> str:
    return re.split(r"[/?#]", url, maxsplit=1)[0]


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Drops any link that is neither http(s), mailto nor plainly relative."""
    if attribute != "href":
        return value
    url = value.strip()
    if url.lower().startswith(("http://", "https://", "mailto:")):
        return url
    if ":" in _first_segment(url):
        return None
    return url


def _demote_headings(html: str) -> str:
    # The page's own title is the only h1: a first-level heading in the text becomes h2.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def to_html(markdown: str) -> SafeString:
    """Renders Markdown to HTML that is safe to put on a page."""
    rendered = _demote_headings(_parser.render(markdown))
    cleaned = clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def paragraphs_html(paragraphs: list[Paragraph]) -> list[tuple[str, SafeString]]:
    """Each paragraph's id and its safe HTML, in reading order."""
    return [(item["id"], to_html(item["text"])) for item in paragraphs]


def plain_text(markdown: str) -> str:
    """The words of a paragraph without markup, for PDF checks and summaries."""
    tokens = _parser.parse(markdown)
    words: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append(" ")
        elif token.type in ("fence", "code_block"):
            words.append(token.content)
    return " ".join("".join(words).split())
