"""Reads the text and the structure of an uncompressed PDF written by WeasyPrint, for tests.

WeasyPrint writes text as glyph ids of embedded subset fonts; each font's /ToUnicode map
turns them back into characters. This reads just enough PDF for that: objects, the font
resources of each page, their maps, and the TJ/Tj operators of the content streams.
"""

import re
from dataclasses import dataclass

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.DOTALL)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_REF = re.compile(rb"/([A-Za-z0-9_.+-]+) (\d+) 0 R")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_TEXT_OP = re.compile(
    rb"/([A-Za-z0-9_.+-]+) [\d.]+ Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", re.DOTALL
)


@dataclass
class ReadPdf:
    text: str
    raw: bytes

    def has(self, key: bytes) -> bool:
        return key in self.raw

    def count(self, key: bytes) -> int:
        return self.raw.count(key)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in _OBJECT.findall(pdf)}


def _cmap(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.DOTALL):
        pairs = _HEX.findall(block)
        for source, target in zip(pairs[::2], pairs[1::2], strict=False):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.DOTALL):
        for line in block.strip().splitlines():
            values = _HEX.findall(line)
            if len(values) < 3:
                continue
            start, end = int(values[0], 16), int(values[1], 16)
            if b"[" in line:
                for offset, target in enumerate(values[2:]):
                    mapping[start + offset] = bytes.fromhex(target.decode()).decode("utf-16-be")
            else:
                first = int(values[2], 16)
                for offset in range(end - start + 1):
                    mapping[start + offset] = chr(first + offset)
    return mapping


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    return found.group(1) if found else b""


def read_pdf(pdf: bytes) -> ReadPdf:
    """The words of every page, in content order, and the raw file for structure checks."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        font_dict = re.search(rb"/Font\s*(\d+) 0 R", body)
        if font_dict is None:
            continue
        for name, number in _REF.findall(objects.get(int(font_dict.group(1)), b"")):
            font = objects.get(int(number), b"")
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if to_unicode:
                fonts[name] = _cmap(_stream(objects[int(to_unicode.group(1))]))
    pieces: list[str] = []
    for body in objects.values():
        if b"BT" not in body or b"stream" not in body:
            continue
        current: dict[int, str] = {}
        for font_name, array, single in _TEXT_OP.findall(_stream(body)):
            if font_name:
                current = fonts.get(font_name, {})
                continue
            for chunk in _HEX.findall(array) if array else [single]:
                text = chunk.decode()
                pieces.append(
                    "".join(
                        current.get(int(text[i : i + 4], 16), "") for i in range(0, len(text), 4)
                    )
                )
            pieces.append(" ")
    return ReadPdf(text=" ".join("".join(pieces).split()), raw=pdf)
