"""Reporting sits on the top layer (docs/adr/0008-app-dependencies.md): it reads the apps
below through their selectors, and nothing below imports it."""

import re
from pathlib import Path

import polku

IMPORT = re.compile(
    r"^\s*(from|import)\s+polku\.reporting\b|^\s*from\s+polku\s+import\s+.*\breporting\b",
    re.MULTILINE,
)


def test_it_is_imported_by_no_app_below_it() -> None:
    root = Path(polku.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.relative_to(root).parts[0] != "reporting"
        and IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_it_reads_returns_only_through_their_selectors() -> None:
    """No module of reporting's own code reads the returns' models or services directly;
    the snapshot, tables and pages go through polku.statistics.selectors_returns."""
    root = Path(polku.__file__).parent / "reporting"
    direct = re.compile(r"from polku\.statistics\.(services|views|validation)\b")
    offenders = [
        path.name for path in root.glob("*.py") if direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
