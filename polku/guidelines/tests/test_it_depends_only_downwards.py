"""Guidelines import nothing from above them, and meetings never import guidelines
(docs/adr/0008: the approval link runs one way, from a guideline to a meeting's decision)."""

import ast
from pathlib import Path

POLKU = Path(__file__).resolve().parents[2]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("polku.") and "." in name}


def _offending(app: str, forbidden: set[str]) -> dict[str, list[str]]:
    sources = sorted((POLKU / app).rglob("*.py"))
    assert sources, app
    return {
        str(path.relative_to(POLKU)): sorted(_imported_apps(path) & forbidden)
        for path in sources
        if _imported_apps(path) & forbidden
    }


def test_guidelines_import_no_app_above_them() -> None:
    """No module of guidelines, its tests included, imports briefings or obligations."""
    assert _offending("guidelines", {"briefings", "obligations"}) == {}


def test_meetings_never_import_guidelines() -> None:
    """Meetings know nothing of guidelines; a guideline points at a decision, not back."""
    assert _offending("meetings", {"guidelines"}) == {}
