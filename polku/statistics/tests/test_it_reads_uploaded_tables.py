"""An uploaded table is read with every bad line reported in plain words, with its line and
column; a bad upload changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.statistics import services
from polku.statistics.models import EstimateRun
from polku.statistics.services import EstimateOptions, decode_upload, read_table, stored_table
from polku.statistics.services.tables import MAX_PROBLEMS
from polku.statistics.tests.factories import SMALL_TABLE, reference_csv


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        read_table(text)
    return caught.value.message_dict["table"]


def test_it_reads_a_reference_table() -> None:
    """UKdat_5 reads as five lists, 18 histories and 2,744 people."""
    table = stored_table(read_table(reference_csv("UKdat_5")))
    assert table.lists == ["LA", "NG", "PFNCA", "GO", "GP"]
    assert table.n_histories == 18
    assert table.n_observed == 2744
    assert table.csv_text.splitlines()[0] == "LA,NG,PFNCA,GO,GP,count"


def test_it_lists_every_bad_line_with_where_it_is() -> None:
    """Each bad line is named once, with its column where there is one, in file order."""
    text = (
        "A,B,C,count\n"
        "1,0,0,30\n"
        "1,2,0,4\n"  # not 0 or 1 in B
        "0,1,0,many\n"  # count not a number
        "0,0,1,2.5\n"  # count not whole
        "0,0,0,3\n"  # on no list
        "1,0,0,5\n"  # repeats line 2
        "0,1,1\n"  # too short
        "0,1,1,-1\n"  # negative
        "0,1,0,8\n"
        "0,0,1,7\n"
    )
    assert problems(text) == [
        "Line 3, column “B”: write 1 if these people are on the list and 0 if they are not.",
        "Line 4, column “count”: the count must be a number.",
        "Line 5, column “count”: the count must be a whole number.",
        "Line 6 is on no list. Leave it out: how many people are on no list is what the "
        "estimate finds.",
        "Line 7 repeats the lists of an earlier line. Give each combination of lists once, "
        "with its total count.",
        "Line 8 does not have as many values as the header has columns.",
        "Line 9, column “count”: the count cannot be negative.",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        (
            "A;B;count\n1;0;3\n",
            "Line 1: the header needs exactly one column named “count”. If your spreadsheet "
            "saved the file with semicolons, save it again as comma-separated values (CSV).",
        ),
        ("A,count\n1,3\n", "Line 1: the table needs at least two list columns besides “count”."),
        ("A,A,count\n1,0,3\n", "Line 1: the list “A” appears twice in the header."),
        (
            "A:B,C,count\n1,0,3\n",
            "Line 1, column “A:B”: a list name may not contain a colon or a comma.",
        ),
        ("A,B,count\n", "The table has a header but no lines of counts."),
        ("A,B,count\n1,0,0\n0,1,0\n", "Every count is zero: no one was observed."),
        (
            "A,B,C,count\n1,0,0,3\n0,1,0,2\n",
            "No one is on the list “C”. Remove that column or check the counts.",
        ),
    ],
)
def test_it_explains_problems_of_the_whole_table(text: str, message: str) -> None:
    """Problems with the header or the table as a whole are told once, in plain words."""
    assert problems(text) == [message]


def test_it_reports_the_table_as_a_whole_only_once_its_lines_are_right() -> None:
    """A list left empty only because its one line is bad is not blamed on the list."""
    assert problems("A,B,C,count\n1,0,0,3\n0,1,0,2\n0,0,1,x\n") == [
        "Line 4, column “count”: the count must be a number."
    ]


def test_it_stops_listing_after_many_problems() -> None:
    """A file that is not a capture-history table at all gets a bounded list."""
    text = "A,B,count\n" + "".join(f"1,0,n{index}\n" for index in range(80))
    found = problems(text)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1] == f"Only the first {MAX_PROBLEMS} problems are listed."


def test_it_keeps_line_numbers_with_windows_line_ends_and_blank_lines() -> None:
    """Carriage returns and blank lines do not shift the line numbers it reports."""
    assert problems("A,B,count\r\n\r\n1,0,3\r\n0,1,x\r\n") == [
        "Line 4, column “count”: the count must be a number."
    ]


def test_it_decodes_what_spreadsheets_save() -> None:
    """UTF-8 with a byte-order mark, UTF-16 and the Windows encoding are all read."""
    text = "Poliisi,Työsuojelu,count\n1,0,3\n0,1,2\n1,1,1\n"
    for data in (
        text.encode("utf-8-sig"),
        text.encode("utf-16"),
        text.encode("cp1252"),
    ):
        assert read_table(decode_upload(data)).lists == ("Poliisi", "Työsuojelu")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04rest of a workbook", "spreadsheet workbook"),
        (b"\x81\x8d\x8f\x90\x9d", "not text"),
        (b"A,B,count\n" + b"1,0,3\n" * 400_000, "larger than 2 MB"),
    ],
)
def test_it_refuses_files_that_are_not_tables(data: bytes, words: str) -> None:
    """Workbooks, binary files and huge files are refused before any reading."""
    with pytest.raises(ValidationError) as caught:
        decode_upload(data)
    assert words in caught.value.messages[0]


def test_it_recognises_the_same_table_in_another_order() -> None:
    """The fingerprint does not depend on the order of the lines."""
    lines = SMALL_TABLE.splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    first = stored_table(read_table(SMALL_TABLE))
    second = stored_table(read_table(shuffled))
    assert first.digest == second.digest
    assert first.csv_text != second.csv_text


def test_it_changes_nothing_for_a_bad_upload(personas: Personas) -> None:
    """Every problem of the upload is reported together; no run and no audit event is written."""
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.estimate_run_start(
            actor=personas.secretariat,
            title="  ",
            reference_year=1850,
            table_text="A,B,count\n1,0,3\n0,1,x\n",
            options=EstimateOptions(),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"title", "reference_year", "table"}
    assert errors["table"] == ["Line 3, column “count”: the count must be a number."]
    assert not EstimateRun.objects.exists()
    assert AuditEvent.objects.count() == events


def test_it_offers_an_example_table_that_reads() -> None:
    """The downloadable example is a valid capture-history table."""
    assert read_table(services.EXAMPLE_TABLE).n_lists == 3
