import csv
import io
from pathlib import Path

import pytest

from polku.statistics.disclosure import cli
from polku.statistics.disclosure.protect import ProtectionError

TABLE = """sex,age,count
female,child,3
female,adult,20
male,child,30
male,adult,40
"""


def run(arguments: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    status = cli.main(arguments, out=out)
    return status, out.getvalue()


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_writes_every_cell_and_total_with_its_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dimensions in input order with Total last, counts only where published, and the
    number and sum of suppressed cells on standard error."""
    status, output = run(["protect", write(tmp_path, TABLE), "--threshold", "10"])
    assert status == 0
    assert output == (
        "sex,age,count,status\n"
        "female,child,,primary\n"
        "female,adult,,secondary\n"
        "female,Total,23,published\n"
        "male,child,,secondary\n"
        "male,adult,,secondary\n"
        "male,Total,70,published\n"
        "Total,child,33,published\n"
        "Total,adult,60,published\n"
        "Total,Total,93,published\n"
    )
    assert "4 of 9 cells suppressed (1 primary, 3 secondary)" in capsys.readouterr().err


def test_it_uses_ten_as_the_default_threshold_and_honours_another(tmp_path: Path) -> None:
    path = write(tmp_path, TABLE)
    _, default = run(["protect", path])
    assert "female,child,,primary" in default
    _, lower = run(["protect", path, "--threshold", "3"])
    assert "female,child,3,published" in lower
    assert "primary" not in lower and "secondary" not in lower


def test_it_reads_standard_input_for_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(TABLE))
    status, output = run(["protect", "-"])
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 9
    assert {row["status"] for row in rows} == {"primary", "secondary", "published"}


def test_it_keeps_three_and_four_way_tables_in_order(tmp_path: Path) -> None:
    """Every combination of values (Total last on each dimension), the last varying
    fastest; published counts are the sums of the input."""
    lines = ["a,b,c,count"]
    for a in ("a1", "a2"):
        for b in ("b1", "b2", "b3"):
            for c in ("c1", "c2"):
                lines.append(f"{a},{b},{c},{len(lines) * 7}")
    status, output = run(["protect", write(tmp_path, "\n".join(lines) + "\n")])
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 3 * 4 * 3
    assert [row["c"] for row in rows[:3]] == ["c1", "c2", "Total"]
    assert (rows[0]["a"], rows[0]["b"]) == ("a1", "b1")
    assert (rows[-1]["a"], rows[-1]["b"], rows[-1]["c"]) == ("Total", "Total", "Total")
    assert rows[-1]["count"] == str(sum(7 * index for index in range(1, 13)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sex,age,number\nfemale,child,3\n", "exactly one column named 'count'"),
        ("count\n3\n", "at least one dimension column"),
        ("", "The table is empty"),
        ("sex,count\nfemale,3\nmale,-4\n", "Line 3, column 'count': '-4' is negative"),
        ("sex,count\nfemale,3\nmale,4.5\n", "Line 3, column 'count': '4.5' is not a whole"),
        ("sex,count\nfemale,3\nmale,4\nfemale,5\n", "Lines 2 and 4 are the same cell"),
        ("a,b,count\nx,p,3\nx,q,4\ny,p,5\n", "missing for example: a=y, b=q"),
        ("sex,count\nTotal,3\n", "'Total' is reserved"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    status, output = run(["protect", write(tmp_path, text)])
    assert status == 2
    assert output == ""
    error = capsys.readouterr().err
    assert error.startswith("error: ")
    assert message in error


def test_it_refuses_a_threshold_below_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, output = run(["protect", write(tmp_path, TABLE), "--threshold", "0"])
    assert (status, output) == (2, "")
    assert "at least 1" in capsys.readouterr().err


def test_it_refuses_a_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, output = run(["protect", str(tmp_path / "absent.csv")])
    assert (status, output) == (2, "")
    assert "cannot read" in capsys.readouterr().err


def test_it_writes_nothing_when_it_cannot_protect_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise ProtectionError("1 suppressed cell(s) could still be worked back", [])

    monkeypatch.setattr(cli, "protect", fails)
    status, output = run(["protect", write(tmp_path, TABLE)])
    assert (status, output) == (1, "")
    assert "not protected, nothing written" in capsys.readouterr().err
