"""The ``polku`` command dispatches to the statisticians' tools."""

import subprocess
import sys
from pathlib import Path

import pytest

from polku.cli import main

UKDAT_5 = Path(__file__).resolve().parent.parent / "polku/mse/tests/data/UKdat_5.csv"


def test_it_lists_its_commands_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    usage = capsys.readouterr().out
    assert "mse" in usage
    assert "stats" in usage


def test_it_refuses_an_unknown_command_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["estimate"]) == 2
    assert "unknown command 'estimate'" in capsys.readouterr().err


def test_it_runs_the_estimator_as_an_installed_command() -> None:
    """The console script installed with Polku reaches ``polku mse``."""
    command = Path(sys.executable).with_name("polku")
    result = subprocess.run(  # noqa: S603
        [str(command), "mse", "check", str(UKDAT_5), "--terms", "LA:NG", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"code": 0' in result.stdout


def test_it_protects_a_table_as_an_installed_command(tmp_path: Path) -> None:
    """The console script reaches ``polku stats protect``: CSV on standard output, the
    suppression summary on standard error."""
    table = tmp_path / "table.csv"
    table.write_text("sex,age,count\nf,child,3\nf,adult,20\nm,child,30\nm,adult,40\n")
    command = Path(sys.executable).with_name("polku")
    result = subprocess.run(  # noqa: S603
        [str(command), "stats", "protect", str(table), "--threshold", "10"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "sex,age,count,status"
    assert lines[1] == "f,child,,primary"
    assert lines[-1] == "Total,Total,93,published"
    assert "1 primary, 3 secondary" in result.stderr


def test_it_refuses_a_bad_table_as_an_installed_command(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("sex,count\nf,3\nm,-1\n")
    command = Path(sys.executable).with_name("polku")
    result = subprocess.run(  # noqa: S603
        [str(command), "stats", "protect", str(table)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Line 3, column 'count': '-1' is negative" in result.stderr
