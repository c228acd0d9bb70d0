import io
import json
from pathlib import Path

import pytest

from polku.mse.cli import main
from polku.mse.tests.helpers import DATA


def run(arguments: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    status = main(arguments, out=out)
    return status, out.getvalue()


def test_it_prints_the_estimate_as_one_json_object() -> None:
    """--json gives exactly the documented keys, the model as pairs of list names."""
    status, output = run(["estimate", str(DATA / "UKdat_5.csv"), "--json"])
    assert status == 0
    result = json.loads(output)
    assert set(result) == {
        "n_observed",
        "estimate",
        "interval",
        "level",
        "method",
        "model",
        "lists",
    }
    assert result["n_observed"] == 2744
    assert result["estimate"] == pytest.approx(11312.99, abs=0.005)
    assert result["interval"] == pytest.approx([9884.4, 13027.4], abs=0.05)
    assert result["level"] == 0.95
    assert result["method"] == "stepwise"
    assert ["LA", "NG"] in result["model"] and len(result["model"]) == 6
    assert result["lists"] == ["LA", "NG", "PFNCA", "GO", "GP"]


def test_it_takes_method_interval_and_threshold_options() -> None:
    """--method main --interval none: no interactions, interval null; a strict --pthresh
    keeps fewer pairs than the default."""
    status, output = run(
        ["estimate", str(DATA / "NewOrl.csv"), "--method", "main", "--interval", "none", "--json"]
    )
    assert status == 0
    result = json.loads(output)
    assert result["model"] == [] and result["interval"] is None
    assert result["estimate"] == pytest.approx(996.66, abs=0.005)
    _, strict = run(["estimate", str(DATA / "UKdat.csv"), "--pthresh", "1e-12", "--json"])
    assert len(json.loads(strict)["model"]) < 7


def test_it_runs_the_bootstrap_reproducibly_from_a_seed() -> None:
    """--interval bca --nboot 200 --seed 5 twice gives the same interval."""
    arguments = [
        "estimate",
        str(DATA / "NewOrl_5.csv"),
        "--interval",
        "bca",
        "--nboot",
        "200",
        "--seed",
        "5",
        "--json",
    ]
    first = json.loads(run(arguments)[1])
    second = json.loads(run(arguments)[1])
    assert first["interval"] == second["interval"]
    assert first["interval"][0] < first["estimate"] < first["interval"][1]


def test_it_prints_a_readable_summary_with_caveats() -> None:
    """Without --json: lists, model, estimate, interval kind and the standard caveats."""
    status, output = run(
        ["estimate", str(DATA / "UKdat_5.csv"), "--method", "aic-bhs", "--interval", "profile"]
    )
    assert status == 0
    assert "People observed: 2,744" in output
    assert "main effects + LA:NG" in output
    assert "Estimate: 11,313" in output
    assert "profile likelihood" in output
    assert "Profile likelihood maximum: 11,304" in output
    assert "linked and de-duplicated" in output
    assert "depends on the model" in output


def test_it_checks_a_model_by_its_terms() -> None:
    """check --terms prints {"code", "meaning"}; a three-list term nobody is on is code 1."""
    status, output = run(["check", str(DATA / "UKdat_5.csv"), "--terms", "LA:NG,NG:GP", "--json"])
    assert status == 0
    assert json.loads(output) == {
        "code": 0,
        "meaning": "The estimate exists and is identifiable.",
    }
    _, missing = run(["check", str(DATA / "UKdat_5.csv"), "--terms", "NG:GO:GP", "--json"])
    assert json.loads(missing)["code"] == 1
    _, readable = run(["check", str(DATA / "UKdat_5.csv"), "--terms", "LA:NG"])
    assert readable.startswith("Check code 0:")


def test_it_reports_a_missing_estimate_as_such(tmp_path: Path) -> None:
    """Two lists nobody is on together: no number, exit status 1, JSON estimate null."""
    table = tmp_path / "apart.csv"
    table.write_text("A,B,count\n1,0,30\n0,1,20\n")
    status, output = run(["estimate", str(table), "--json"])
    assert status == 1
    result = json.loads(output)
    assert result["estimate"] is None and result["interval"] is None
    status, output = run(["estimate", str(table)])
    assert status == 1
    assert "No estimate: The maximum likelihood estimate does not exist" in output


def test_it_refuses_bad_input_with_the_place_of_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 2 in a list column: exit status 2 and a message naming the line and column."""
    table = tmp_path / "bad.csv"
    table.write_text("A,B,count\n1,0,3\n0,2,4\n")
    status, output = run(["estimate", str(table)])
    assert status == 2
    assert output == ""
    assert "Line 3, column 'B': expected 0 or 1, got '2'" in capsys.readouterr().err
    status, _ = run(["estimate", str(tmp_path / "missing.csv")])
    assert status == 2
    assert "cannot read" in capsys.readouterr().err
    status, _ = run(["estimate", str(DATA / "UKdat_5.csv"), "--maxorder", "9", "--method", "bic"])
    assert status == 2
    assert "maxorder must be between 1 and 4" in capsys.readouterr().err
