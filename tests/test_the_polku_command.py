"""The ``polku`` command dispatches to the statisticians' tools."""

import subprocess
import sys
from pathlib import Path

import pytest

from polku.cli import main

UKDAT_5 = Path(__file__).resolve().parent.parent / "polku/mse/tests/data/UKdat_5.csv"


def test_it_lists_its_commands_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "mse" in capsys.readouterr().out


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
