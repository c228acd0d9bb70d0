"""Guideline text is Markdown rendered safely: no script, event handler, style or javascript:
URL reaches the page, whatever is written, while ordinary formatting and links work."""

import re
from html.parser import HTMLParser

import pytest

from polku.guidelines.markdown import ALLOWED_TAGS, plain_text, to_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x"onerror="alert(1)](https://example.org/x.png)',
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!-- --><script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=javascript:alert(1)></object>",
    "<body onload=alert(1)>",
    "<a href='&#x6A;avascript:alert(1)'>x</a>",
    "[a](<javascript:alert(1)>)",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def _parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


SAFE_URL_STARTS = ("http://", "https://", "mailto:", "/", "#")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_reaches_the_page(payload: str) -> None:
    """Only allowed elements; no event handlers or styles; links only http(s), mailto or relative."""
    found = _parsed(str(to_html(payload)))
    assert set(found.tags) <= ALLOWED_TAGS, found.tags
    for name, value in found.attributes:
        assert not name.startswith("on"), (name, value)
        assert name not in {"style", "src", "srcdoc", "action", "formaction"}, name
        if name == "href":
            relative = ":" not in re.split(r"[/?#]", value, maxsplit=1)[0]
            assert value.strip().lower().startswith(SAFE_URL_STARTS) or relative, value
            assert "javascript" not in value.lower()


def test_it_keeps_ordinary_formatting_and_links() -> None:
    """Headings (h1 becomes h2), emphasis, lists, tables and http(s)/mailto/relative links survive."""
    html = str(
        to_html(
            "# Heading\n\n## Section\n\n**bold** and *em*\n\n- item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "[site](https://poliisi.fi) [mail](mailto:apu@example.org) [here](/guidelines/)"
        )
    )
    assert "<h2>Heading</h2>" in html
    assert "<h2>Section</h2>" in html
    assert "<h1>" not in html
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<li>item</li>" in html
    assert "<td>1</td>" in html
    assert 'href="https://poliisi.fi"' in html
    assert 'href="mailto:apu@example.org"' in html
    assert 'href="/guidelines/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_it_drops_links_that_only_look_relative() -> None:
    """A link whose first segment holds a colon is no relative link and loses its address."""
    html = str(to_html("[a](java%09script:alert(1)) [b](guides/next) [c](?page=2)"))
    assert '<a rel="noopener noreferrer nofollow">a</a>' in html
    assert 'href="guides/next"' in html
    assert 'href="?page=2"' in html


def test_written_html_is_shown_as_text() -> None:
    """HTML typed into the text is escaped, so readers see what was written."""
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(to_html("<script>alert(1)</script>"))


def test_it_gives_the_plain_words_of_a_paragraph() -> None:
    assert plain_text("Some **bold** and `code`\nacross lines") == "Some bold and code across lines"
