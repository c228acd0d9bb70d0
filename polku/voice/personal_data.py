"""Finds personal data in a challenge's text before it is submitted.

A challenge is about a problem, never about an identifiable person. The check looks for
names from a list, phone numbers, e-mail addresses, Finnish personal identity codes, dates
of birth and street addresses, and reports each with where it was found, so the writer can
take it out. It errs towards reminding: a false alarm costs a rephrasing, a miss costs a
victim's privacy. It is a reminder, not a guarantee, and the forms say so.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names.txt"


class FindingKind(models.TextChoices):
    NAME = "name", _("a name")
    PHONE = "phone", _("a phone number")
    EMAIL = "email", _("an e-mail address")
    IDENTITY_CODE = "identity_code", _("a personal identity code")
    DATE_OF_BIRTH = "date_of_birth", _("a date of birth or a full date")
    ADDRESS = "address", _("a street address")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what kind, the text as written, and where it starts and ends."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(FindingKind(self.kind).label)


@dataclass(frozen=True)
class NameList:
    first: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.first | self.surnames | self.ambiguous


@cache
def name_list() -> NameList:
    """The names from the data file, read once."""
    sections: dict[str, set[str]] = {"first": set(), "surname": set(), "ambiguous": set()}
    current: set[str] | None = None
    for raw in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections[line[1:-1]]
            continue
        if current is not None:
            current.update(line.split())
    ambiguous = frozenset(sections["ambiguous"])
    return NameList(
        first=frozenset(sections["first"]) - ambiguous,
        surnames=frozenset(sections["surname"]) - ambiguous,
        ambiguous=ambiguous,
    )


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# DDMMYY, a century sign, an individual number and a check character.
IDENTITY_CODE = re.compile(r"(?<![\w-])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])(?!\w)")
IDENTITY_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, "-": 1900, "A": 2000}
CENTURIES.update(dict.fromkeys("UVWXY", 1900))
CENTURIES.update(dict.fromkeys("BCDEF", 2000))

# International: +358 40 123 4567, 00358401234567, +46 (0)70-123 45 67.
PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}(?:[ \-]?\(0\))?(?:[ \-]?\d{1,4}){2,6}(?!\w)"
)
# Domestic: 040 123 4567, 040-1234567, (09) 1234 5678, 0800 123 123.
PHONE_DOMESTIC = re.compile(
    r"(?<![\w+/.,-])(?:\(0\d{1,3}\)|0\d{1,3})(?:[ \-]?\d{2,4}){1,4}(?![\w/.,]\d)(?!\w)"
)

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
    "|tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|heinäkuuta"
    "|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta"
    "|januari|februari|mars|maj|juni|juli|augusti|oktober"
)
DATE_PATTERNS = (
    # 12.3.1987, 12/03/1987, 12-3-1987
    re.compile(r"(?<![\w./-])(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?![\w/-]|\.\d)"),
    # 1987-03-12
    re.compile(r"(?<![\w./-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"),
    # 12 March 1987, 12. maaliskuuta 1987, 12 mars 1987
    re.compile(rf"(?<!\w)(\d{{1,2}})\.?\s+({MONTHS})\s+(\d{{4}})(?!\w)", re.IGNORECASE),
    # March 12, 1987
    re.compile(rf"(?<!\w)({MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\w)", re.IGNORECASE),
)
BIRTH_WORDS = re.compile(
    r"(?:\bborn\b|\bb\.|\bdob\b|date of birth|birth ?date|\bsyntynyt\b|\bsynt\.|\bs\.|"
    r"syntymäaika|\bfödd\b|\bf\.|födelsedatum|födelsedag)\W{0,3}(?:on\W{1,2})?$",
    re.IGNORECASE,
)
# Full dates this many years back or more read as dates of birth even without a cue word;
# recent dates are usually when something happened.
BIRTH_DATE_MIN_AGE_YEARS = 12

STREET_SUFFIXES = (
    "katu|tie|kuja|polku|väylä|kaari|raitti|rinne|ranta|tori|puistikko|"
    "gatan|vägen|gränd|stigen|backen|torget|allén"
)
ADDRESS = re.compile(
    rf"(?<!\w)[A-ZÅÄÖ][a-zåäöé]+(?:-[a-zåäöé]+)?(?:{STREET_SUFFIXES})"
    r"\s+\d{1,4}(?:\s?[A-Za-z])?(?:\s?\d{1,3})?(?![\w/])"
)
ADDRESS_ENGLISH = re.compile(
    r"(?<!\w)\d{1,4}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Lane|Drive|Close)"
    r"(?!\w)"
)

# Characters after which a capitalised word starts a sentence or a list item.
SENTENCE_BREAKS = ".!?:\n;\u2022-\u2013\u2014"
NAME_TOKEN = re.compile(r"(?<![\w-])[A-ZÅÄÖÉÜ][a-zåäöéüß]+(?![\w-])")
TITLES = frozenset(
    {
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "herra",
        "Herra",
        "rouva",
        "Rouva",
        "neiti",
        "herr",
        "Herr",
        "fru",
        "Fru",
    }
)


def find_personal_data(text: str, *, today: date | None = None) -> list[Finding]:
    """Every piece of personal data in the text, in reading order, without overlaps."""
    if not text:
        return []
    today = today or timezone.localdate()
    found = [
        *_emails(text),
        *_identity_codes(text),
        *_addresses(text),
        *_dates_of_birth(text, today),
        *_phones(text),
        *_names(text),
    ]
    # Earlier checks win an overlap: an identity code is not also a phone number.
    kept: list[Finding] = []
    for finding in found:
        if any(finding.start < other.end and other.start < finding.end for other in kept):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda finding: finding.start)


def _finding(kind: str, text: str, start: int, end: int) -> Finding:
    return Finding(kind=kind, text=text[start:end], start=start, end=end)


def _emails(text: str) -> list[Finding]:
    return [_finding(FindingKind.EMAIL, text, m.start(), m.end()) for m in EMAIL.finditer(text)]


def identity_code_is_valid(code: str) -> bool:
    """Checks a Finnish personal identity code's date, century sign and check character."""
    match = IDENTITY_CODE.fullmatch(code.upper())
    if match is None:
        return False
    day, month, year, sign, individual, check = match.groups()
    try:
        date(CENTURIES[sign] + int(year), int(month), int(day))
    except ValueError:
        return False
    if int(individual) < 2:
        return False
    return IDENTITY_CHECK[int(day + month + year + individual) % 31] == check


def _identity_codes(text: str) -> list[Finding]:
    return [
        _finding(FindingKind.IDENTITY_CODE, text, m.start(), m.end())
        for m in IDENTITY_CODE.finditer(text.upper())
        if identity_code_is_valid(m.group(0))
    ]


def _digits(value: str) -> int:
    return sum(char.isdigit() for char in value)


def _phones(text: str) -> list[Finding]:
    findings = []
    for match in PHONE_INTERNATIONAL.finditer(text):
        if 8 <= _digits(match.group(0)) <= 15:
            findings.append(_finding(FindingKind.PHONE, text, match.start(), match.end()))
    for match in PHONE_DOMESTIC.finditer(text):
        if 7 <= _digits(match.group(0)) <= 12:
            findings.append(_finding(FindingKind.PHONE, text, match.start(), match.end()))
    return findings


def _month_number(value: str) -> int:
    value = value.lower()
    for number, names in enumerate(
        (
            ("jan", "tammi", "januari"),
            ("feb", "helmi", "februari"),
            ("mar", "maalis", "mars"),
            ("apr", "huhti"),
            ("may", "touko", "maj"),
            ("jun", "kesä"),
            ("jul", "heinä"),
            ("aug", "elo", "augusti"),
            ("sep", "syys"),
            ("oct", "loka", "oktober"),
            ("nov", "marras"),
            ("dec", "joulu"),
        ),
        start=1,
    ):
        if value.startswith(names):
            return number
    return 0


def _as_date(pattern_index: int, groups: tuple[str, ...]) -> date | None:
    try:
        if pattern_index == 0:
            return date(int(groups[2]), int(groups[1]), int(groups[0]))
        if pattern_index == 1:
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        if pattern_index == 2:
            return date(int(groups[2]), _month_number(groups[1]), int(groups[0]))
        return date(int(groups[2]), _month_number(groups[0]), int(groups[1]))
    except ValueError:
        return None


def _dates_of_birth(text: str, today: date) -> list[Finding]:
    findings = []
    for index, pattern in enumerate(DATE_PATTERNS):
        for match in pattern.finditer(text):
            found = _as_date(index, match.groups())
            if found is None or found > today:
                continue
            cue = BIRTH_WORDS.search(text[max(0, match.start() - 25) : match.start()])
            if cue or today.year - found.year >= BIRTH_DATE_MIN_AGE_YEARS:
                findings.append(
                    _finding(FindingKind.DATE_OF_BIRTH, text, match.start(), match.end())
                )
    return findings


def _addresses(text: str) -> list[Finding]:
    return [
        _finding(FindingKind.ADDRESS, text, m.start(), m.end())
        for pattern in (ADDRESS, ADDRESS_ENGLISH)
        for m in pattern.finditer(text)
    ]


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“”«»(")
    return not before or before[-1] in SENTENCE_BREAKS


def _names(text: str) -> list[Finding]:
    names = name_list()
    tokens = list(NAME_TOKEN.finditer(text))
    findings: list[Finding] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = token.group(0)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        adjacent = following is not None and text[token.end() : following.start()] in (
            " ",
            "\u00a0",
        )
        if (
            adjacent
            and following is not None
            and word in names.first | names.ambiguous
            and (following.group(0) in names.all or word in names.first)
        ):
            findings.append(_finding(FindingKind.NAME, text, token.start(), following.end()))
            index += 2
            continue
        preceding = text[: token.start()].rstrip().rstrip(".").split()
        after_title = bool(preceding) and preceding[-1] in TITLES
        listed_alone = word in names.first or word in names.surnames
        mid_sentence = not _starts_sentence(text, token.start())
        if (word in names.all and after_title) or (listed_alone and mid_sentence):
            findings.append(_finding(FindingKind.NAME, text, token.start(), token.end()))
        index += 1
    return findings
