"""Every rule a return's figures must meet, with the row, column and message it gives."""

import pytest

from polku.actors.choices import OrganisationKind
from polku.actors.models import Organisation
from polku.actors.tests.factories import make_organisation
from polku.statistics.csv_returns import read_upload
from polku.statistics.models import Indicator, ReportingAssignment
from polku.statistics.validation import (
    Context,
    Entry,
    Problem,
    check_figures,
    context_for,
    is_jump,
)

pytestmark = pytest.mark.django_db

TOTAL = ("registered_victims", "", "", "10")


@pytest.fixture
def organisation() -> Organisation:
    organisation = make_organisation(name="Police", kind=OrganisationKind.AUTHORITY)
    for code in ("registered_victims", "suspects"):
        ReportingAssignment.objects.create(
            organisation=organisation, indicator=Indicator.objects.get(code=code), from_year=2020
        )
    return organisation


@pytest.fixture
def context(organisation: Organisation) -> Context:
    return context_for(organisation=organisation, year=2024)


def entries(*rows: tuple[str, str, str, str]) -> list[Entry]:
    """Entries as a CSV gives them: the first figure on line 2."""
    return [Entry(*row, row=str(line)) for line, row in enumerate(rows, start=2)]


def problems_of(
    rows: tuple[tuple[str, str, str, str], ...], context: Context, *, complete: bool = False
) -> list[Problem]:
    _figures, problems = check_figures(entries(*rows), context=context, complete=complete)
    return problems


# (figures, row, column, message): one rule each.
RULES = [
    ((("registered_victims", "", "", "3.5"),), "2", "value", "Enter a whole number, not “3.5”."),
    ((("registered_victims", "", "", "ten"),), "2", "value", "Enter a whole number, not “ten”."),
    ((("registered_victims", "", "", "-2"),), "2", "value", "Enter 0 or more, not “-2”."),
    ((("registered_victims", "", "", " "),), "2", "value", "Enter a number."),
    (
        (("registered_victims", "", "", "2000000"),),
        "2",
        "value",
        "2000000 is more than 1000000: check the number.",
    ),
    ((("", "", "", "1"),), "2", "indicator", "Enter the indicator's code."),
    (
        (("victims", "", "", "1"),),
        "2",
        "indicator",
        "There is no indicator “victims”. Use one of: registered_victims, suspects.",
    ),
    (
        (("convicted", "", "", "1"),),
        "2",
        "indicator",
        "“Convicted persons” is not among the indicators Police reports for 2024.",
    ),
    (
        (TOTAL, ("registered_victims", "colour", "red", "10")),
        "3",
        "dimension",
        "There is no dimension “colour”. Use one of: sex, age_group, age_band, citizenship, "
        "country, exploitation_form, or leave it empty for the total.",
    ),
    (
        (("suspects", "", "", "4"), ("suspects", "exploitation_form", "forced_labour", "4")),
        "3",
        "dimension",
        "“Suspects” is not broken down by form of exploitation. Use one of: sex, age_group, "
        "age_band, citizenship, country, or leave it empty for the total.",
    ),
    (
        (("registered_victims", "", "female", "10"),),
        "2",
        "category",
        "Leave the category empty for a total.",
    ),
    ((TOTAL, ("registered_victims", "sex", "", "10")), "3", "category", "Enter the category."),
    (
        (TOTAL, ("registered_victims", "sex", "other", "10")),
        "3",
        "category",
        "There is no category “other” of sex. Use one of: female, male, unknown.",
    ),
    (
        (TOTAL, ("registered_victims", "country", "XX", "10")),
        "3",
        "category",
        "“XX” is not a country code. Use a two-letter ISO 3166 code such as FI, or unknown.",
    ),
    (
        (TOTAL, ("registered_victims", "exploitation_form", "slavery", "10")),
        "3",
        "category",
        "There is no category “slavery” of form of exploitation. Use one of: "
        "sexual_exploitation, forced_labour, forced_criminality, forced_begging, "
        "forced_marriage, organ_removal, illegal_adoption, surrogacy_exploitation, other.",
    ),
    (
        (TOTAL, ("registered_victims", "", "", "10")),
        "3",
        "indicator",
        "This figure is given twice: also in row 2.",
    ),
    (
        (("registered_victims", "sex", "female", "3"),),
        "2",
        "value",
        "Give the total of “Registered victims” as well: its breakdowns are checked against it.",
    ),
    (
        (
            TOTAL,
            ("registered_victims", "sex", "female", "6"),
            ("registered_victims", "sex", "male", "3"),
        ),
        "2",
        "value",
        "The figures by sex add up to 9, but the total of “Registered victims” is 10.",
    ),
    (
        (TOTAL, ("registered_victims", "age_group", "child", "12")),
        "3",
        "value",
        "The children (12) are more than the total of “Registered victims” (10).",
    ),
    (
        (
            TOTAL,
            ("registered_victims", "age_band", "0_11", "6"),
            ("registered_victims", "age_band", "12_17", "5"),
        ),
        "3",
        "value",
        "The children (11) are more than the total of “Registered victims” (10).",
    ),
]


@pytest.mark.parametrize(("rows", "row", "column", "message"), RULES)
def test_it_names_the_row_column_and_problem(
    context: Context,
    rows: tuple[tuple[str, str, str, str], ...],
    row: str,
    column: str,
    message: str,
) -> None:
    problems = problems_of(rows, context)
    assert [(problem.row, problem.column, problem.message) for problem in problems] == [
        (row, column, message)
    ]
    assert str(problems[0]) == f"Row {row}, column {column}: {message}"


# (figures, messages) of the rules a submission adds: everything assigned is there.
COMPLETENESS = [
    (
        (("registered_victims", "", "", "0"),),
        ["Enter the total of “Suspects”."],
    ),
    (
        (("registered_victims", "", "", "0"), ("suspects", "", "", "2")),
        [
            "Give “Suspects” by sex; put what is not known under “Sex not known”.",
            "Give “Suspects” by age group; put what is not known under “Age not known”.",
            "Give “Suspects” by citizenship; put what is not known under “Citizenship not known”.",
        ],
    ),
]


@pytest.mark.parametrize(("rows", "messages"), COMPLETENESS)
def test_it_requires_every_assigned_figure_on_submission(
    context: Context, rows: tuple[tuple[str, str, str, str], ...], messages: list[str]
) -> None:
    """A zero total needs no breakdowns; the optional bands and countries are never asked."""
    assert problems_of(rows, context) == []
    found = problems_of(rows, context, complete=True)
    assert [problem.message for problem in found] == messages


def test_it_accepts_a_consistent_return_counting_missing_cells_as_zero(context: Context) -> None:
    rows = (
        ("registered_victims", "", "", "10"),
        ("registered_victims", "sex", "FEMALE", "10"),
        ("registered_victims", "age_group", "adult", "10"),
        ("registered_victims", "citizenship", "non_eu", "10"),
        ("registered_victims", "exploitation_form", "forced_labour", "+10"),
        ("registered_victims", "country", "th", "10"),
        ("suspects", "", "", "0"),
    )
    figures, problems = check_figures(entries(*rows), context=context, complete=True)
    assert problems == []
    assert {(figure.dimension, figure.category) for figure in figures} >= {
        ("sex", "female"),
        ("country", "TH"),
    }
    form = next(figure for figure in figures if figure.dimension == "exploitation_form")
    assert form.exploitation_form is not None
    assert form.exploitation_form.code == "forced_labour"
    assert form.value == 10


@pytest.mark.parametrize(
    ("previous", "current", "flagged"),
    [
        (20, 31, True),
        (20, 30, False),
        (100, 140, False),
        (100, 151, True),
        (30, 14, True),
        (0, 11, True),
        (0, 10, False),
        (5, 15, False),
    ],
)
def test_it_flags_jumps_over_half_and_over_ten(previous: int, current: int, flagged: bool) -> None:
    assert is_jump(previous, current) is flagged


# (file, row, column, message) of problems reading a CSV file.
FILES = [
    (b"\xff\xfeindicator", "1", "\u2014", "The file is not UTF-8 text."),
    (b"", "1", "\u2014", "The file is empty."),
    (b"indicator,dimension,category,value\n", "2", "value", "The file gives no figures."),
    (
        b"indicator,dimension,value\nsuspects,,4\n",
        "1",
        "category",
        "The first line must name the columns indicator, dimension, category, value; "
        "category is missing.",
    ),
    (
        b"indicator,dimension,category,value\nsuspects,,\n",
        "2",
        "\u2014",
        "This line has 3 fields, but the columns indicator, dimension, category, value need 4.",
    ),
]


@pytest.mark.parametrize(("data", "row", "column", "message"), FILES)
def test_it_names_what_stops_a_file_being_read(
    data: bytes, row: str, column: str, message: str
) -> None:
    entries_read, problems = read_upload(data)
    assert entries_read == []
    assert [(problem.row, problem.column) for problem in problems] == [(row, column)]
    assert problems[0].message.startswith(message)


def test_it_reads_a_file_with_a_byte_order_mark_blank_lines_and_empty_values() -> None:
    """Excel's BOM, blank lines and rows left empty in the template are all fine."""
    data = (
        "\ufeffIndicator,Dimension,Category,Value,label\r\n"
        "suspects,,,4,Suspects\r\n"
        "\r\n"
        "suspects,sex,male,,Suspects — male\r\n"
        "suspects,sex,female,4,Suspects — female\r\n"
    ).encode()
    read, problems = read_upload(data)
    assert problems == []
    assert [(entry.row, entry.dimension, entry.value) for entry in read] == [
        ("2", "", "4"),
        ("5", "sex", "4"),
    ]
