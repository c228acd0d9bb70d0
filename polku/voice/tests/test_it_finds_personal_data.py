"""The personal-data check catches what identifies a person and leaves ordinary text alone."""

from datetime import date

import pytest

from polku.voice.personal_data import (
    FindingKind,
    find_personal_data,
    identity_code_is_valid,
    name_list,
)

TODAY = date(2026, 11, 30)

CAUGHT: list[tuple[str, str, str]] = [
    # Names: full names, names alone mid-sentence, names after a title.
    ("We met Anna Korhonen at the reception centre.", FindingKind.NAME, "Anna Korhonen"),
    ("The client, Mohammed, was afraid to talk.", FindingKind.NAME, "Mohammed"),
    ("His employer Virtanen kept the passports.", FindingKind.NAME, "Virtanen"),
    ("Tuuli Koski called the helpline twice.", FindingKind.NAME, "Tuuli Koski"),
    ("The case of Mr Koski shows the gap.", FindingKind.NAME, "Koski"),
    ("Hon heter Ingrid Lindqvist och arbetar på gården.", FindingKind.NAME, "Ingrid Lindqvist"),
    ("Asiakas Mikko ei uskaltanut puhua.", FindingKind.NAME, "Mikko"),
    # Phone numbers, Finnish and international.
    ("Call 040 123 4567 in the evening.", FindingKind.PHONE, "040 123 4567"),
    ("Number: 040-1234567", FindingKind.PHONE, "040-1234567"),
    ("Reach her on 0401234567.", FindingKind.PHONE, "0401234567"),
    ("The office is on (09) 1234 5678.", FindingKind.PHONE, "(09) 1234 5678"),
    ("Her Finnish number +358 40 123 4567 was taken.", FindingKind.PHONE, "+358 40 123 4567"),
    ("Ring +46 70 123 45 67 i Sverige.", FindingKind.PHONE, "+46 70 123 45 67"),
    ("Soita numeroon 00358401234567.", FindingKind.PHONE, "00358401234567"),
    ("A recruiter used +44 20 7946 0958.", FindingKind.PHONE, "+44 20 7946 0958"),
    # E-mail addresses.
    ("Write to maria.smith@example.org today.", FindingKind.EMAIL, "maria.smith@example.org"),
    ("Osoite: rekry+ads@tyovoima.fi.", FindingKind.EMAIL, "rekry+ads@tyovoima.fi"),
    # Finnish personal identity codes with the old and new century signs.
    ("Henkilötunnus 131052-308T on kirjattu.", FindingKind.IDENTITY_CODE, "131052-308T"),
    ("Code 010105A123P in the file.", FindingKind.IDENTITY_CODE, "010105A123P"),
    ("Code 290204B4562 in the file.", FindingKind.IDENTITY_CODE, "290204B4562"),
    ("Code 150688Y902A in the file.", FindingKind.IDENTITY_CODE, "150688Y902A"),
    ("Code 030399U234E in the file.", FindingKind.IDENTITY_CODE, "030399U234E"),
    ("Code 070701+555A in the file.", FindingKind.IDENTITY_CODE, "070701+555A"),
    # Dates of birth: with a cue word, or old enough to be one.
    ("The boy, born 3.4.2019, was alone.", FindingKind.DATE_OF_BIRTH, "3.4.2019"),
    ("Poika (s. 3.4.2019) oli yksin.", FindingKind.DATE_OF_BIRTH, "3.4.2019"),
    ("Flickan, född 2018-05-14, var ensam.", FindingKind.DATE_OF_BIRTH, "2018-05-14"),
    ("A woman with the date 12.03.1987 on her papers.", FindingKind.DATE_OF_BIRTH, "12.03.1987"),
    ("Date of birth: 12 March 1987.", FindingKind.DATE_OF_BIRTH, "12 March 1987"),
    ("Syntynyt 12. maaliskuuta 1987.", FindingKind.DATE_OF_BIRTH, "12. maaliskuuta 1987"),
    ("She was born March 12, 1987 abroad.", FindingKind.DATE_OF_BIRTH, "March 12, 1987"),
    # Street addresses.
    ("They lived at Mannerheimintie 12 B 34.", FindingKind.ADDRESS, "Mannerheimintie 12 B 34"),
    ("The flat at Hämeenkatu 5 was crowded.", FindingKind.ADDRESS, "Hämeenkatu 5"),
    ("Workers slept at Koivukuja 3.", FindingKind.ADDRESS, "Koivukuja 3"),
    ("Bostaden på Storgatan 7 var full.", FindingKind.ADDRESS, "Storgatan 7"),
    ("Lägenheten på Skolvägen 14 A.", FindingKind.ADDRESS, "Skolvägen 14 A"),
    ("Asunto osoitteessa Kirkkopolku 2.", FindingKind.ADDRESS, "Kirkkopolku 2"),
    ("Varasto Satamaväylä 10 lähellä.", FindingKind.ADDRESS, "Satamaväylä 10"),
    ("An office at 221 Baker Street.", FindingKind.ADDRESS, "221 Baker Street"),
]

NOT_FLAGGED: list[str] = [
    # Years, periods and recent dates of events.
    "Since 2019 the number of cases has doubled.",
    "In 2024 and 2025 the berry season brought 3,500 pickers.",
    "The law changed on 1.1.2024 and the guidance followed.",
    "Between March 2023 and June 2024 nothing moved.",
    # Statutes, articles and references.
    "Article 13 of the Convention requires a recovery period.",
    "Under Section 25 of the Act 1234/2015 the police must be told.",
    "Directive 2011/36/EU as amended by 2024/1712.",
    "GRETA's third report, paragraph 143, asks for this.",
    "See HE 216/2022 vp and the committee report.",
    # Amounts, counts and measurements.
    "Recruitment debts reached 2 000 \u2013 3 000 euros per person.",
    "Only 0,5 % of reports lead to charges.",
    "The hotline got 1 234 calls in 12 months.",
    # Organisations, places and ordinary words that can be names elsewhere.
    "Monika-Naiset liitto and Pro-tukipiste see this weekly.",
    "The Salo police department and the Kotka reception centre agree.",
    "Onni ja toivo eivät riitä: tarvitaan resursseja.",
    "Tuuli oli kova, mutta poimijat lähetettiin metsään.",
    "Anna tietoa uhreille heidän omalla kielellään.",
    "Victim Support Finland and the Assistance System for Victims of Human Trafficking.",
    "May is the month when the recruitment starts.",
    "Mark the cases in the register; we will hope for the best.",
    # Street-like words without a number, and Polku itself.
    "Trafficking happens along the main road and in side streets.",
    "Polku 2 will bring the statistics module.",
    # Numbers that look like codes but are not identity codes.
    "Product 131052-308X failed its check.",
    "Order 123456-7890 was delayed.",
]


@pytest.mark.parametrize(("text", "kind", "matched"), CAUGHT, ids=[case[2] for case in CAUGHT])
def test_it_catches_personal_data(text: str, kind: str, matched: str) -> None:
    """Each kind of personal data is found with its exact text and position."""
    findings = find_personal_data(text, today=TODAY)
    assert [(finding.kind, finding.text) for finding in findings] == [(kind, matched)]
    finding = findings[0]
    assert text[finding.start : finding.end] == matched


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_it_leaves_ordinary_text_alone(text: str) -> None:
    """Years, statutes, amounts, organisations and common words are not personal data."""
    assert find_personal_data(text, today=TODAY) == []


def test_it_reports_every_finding_in_reading_order() -> None:
    """Several findings come back in the order they appear, without overlaps."""
    text = "Anna Korhonen (131052-308T) lives at Hämeenkatu 5, tel. 040 123 4567, a@b.fi."
    findings = find_personal_data(text, today=TODAY)
    assert [finding.kind for finding in findings] == [
        FindingKind.NAME,
        FindingKind.IDENTITY_CODE,
        FindingKind.ADDRESS,
        FindingKind.PHONE,
        FindingKind.EMAIL,
    ]
    assert findings == sorted(findings, key=lambda finding: finding.start)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("131052-308T", True),
        ("131052-308t", True),
        ("131052-308U", False),  # wrong check character
        ("311352-308T", False),  # no 13th month
        ("290205A1230", False),  # 29 February 2005 did not exist
        ("131052-001H", False),  # individual numbers start at 002
        ("131052Z308T", False),  # not a century sign
    ],
)
def test_it_validates_identity_codes(code: str, valid: bool) -> None:
    """The date, the century sign and the check character must all be right."""
    assert identity_code_is_valid(code) is valid


def test_it_reads_the_names_from_the_data_file() -> None:
    """The shipped list holds Finnish, Swedish and other names, with ambiguous words apart."""
    names = name_list()
    assert {"Mikko", "Ingrid", "Mohammed"} <= names.first
    assert {"Virtanen", "Lindqvist", "Nguyen"} & names.all
    assert "Koski" in names.ambiguous and "Koski" not in names.surnames
    assert not names.first & names.ambiguous


def test_it_finds_nothing_in_empty_text() -> None:
    """Empty text has no findings."""
    assert find_personal_data("", today=TODAY) == []
