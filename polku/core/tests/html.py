"""A small HTML reader for tests that check landmarks and attributes, not exact markup."""

from html.parser import HTMLParser
from typing import Protocol


class Page(Protocol):
    """Anything with an HTML body, such as a test client's response."""

    @property
    def content(self) -> bytes: ...


class Element:
    """One start tag: its name, attributes and the text inside it."""

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class PageParser(HTMLParser):
    """Collects every element with its attributes and the text it contains."""

    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "path", "circle", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


def parse(response: Page) -> list[Element]:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser.elements


def with_class(elements: list[Element], name: str) -> list[Element]:
    return [element for element in elements if name in element.classes]


def text(element: Element) -> str:
    return " ".join(element.text.split())
