"""Voice and the typologies import nothing from the apps above them (docs/adr/0008)."""

import ast
from pathlib import Path

import pytest

POLKU = Path(__file__).resolve().parents[2]
ABOVE = {
    "voice": {"meetings", "guidelines", "briefings", "obligations", "statistics", "pathways"},
    "taxonomy": {
        "accounts",
        "actors",
        "api",
        "audit",
        "notifications",
        "voice",
        "meetings",
        "guidelines",
        "briefings",
        "obligations",
        "statistics",
        "pathways",
    },
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("polku.") and "." in name}


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_it_imports_no_app_above_it(app: str) -> None:
    """No module of the app, its tests included, imports an app of a higher layer."""
    sources = sorted((POLKU / app).rglob("*.py"))
    assert sources, app
    offending = {
        str(path.relative_to(POLKU)): sorted(_imported_apps(path) & ABOVE[app])
        for path in sources
        if _imported_apps(path) & ABOVE[app]
    }
    assert offending == {}
