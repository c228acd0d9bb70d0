"""An app lends core a check for the designations it makes, so the navigation offers its
pages to a person who holds no role for them, without core importing the app."""

import re
from pathlib import Path

import pytest

import polku
from conftest import Personas
from polku.accounts.models import User
from polku.core import designations
from polku.core.designations import RETURN_VALIDATOR, is_designated, register_designation
from polku.core.navigation import destinations_for

# The platform (docs/adr/0008-app-dependencies.md): core may import these, and no other app.
PLATFORM = {"core", "accounts", "actors", "audit", "api"}
IMPORT = re.compile(r"^\s*(?:from|import)\s+polku\.(\w+)", re.MULTILINE)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, designations.Holds]:
    """An empty registry for the test, so the apps' own registrations do not answer."""
    empty: dict[str, designations.Holds] = {}
    monkeypatch.setattr(designations, "_designations", empty)
    return empty


def _labels(user: User) -> list[str]:
    return [str(destination.label) for destination in destinations_for(user)]


@pytest.mark.django_db
def test_it_holds_an_unregistered_designation_for_nobody(
    registry: dict[str, designations.Holds], personas: Personas
) -> None:
    assert not is_designated(personas.coordinator, "elsewhere.unknown")
    assert "Returns" not in _labels(personas.practitioner)


@pytest.mark.django_db
def test_it_offers_the_returns_to_whoever_the_app_says_validates(
    registry: dict[str, designations.Holds], personas: Personas
) -> None:
    asked: list[str] = []

    def validates(user: User) -> bool:
        asked.append(user.username)
        return user.username == "practitioner"

    register_designation(RETURN_VALIDATOR, validates)
    assert "Returns" in _labels(personas.practitioner)
    assert "Returns" not in _labels(personas.ngo)
    # Asked once per person and request, however often the menu is built.
    _labels(personas.practitioner)
    assert asked.count("practitioner") == 1


def test_it_imports_no_app_above_the_platform() -> None:
    root = Path(polku.__file__).parent / "core"
    offenders = sorted(
        f"{path.relative_to(root)}: polku.{app}"
        for path in root.rglob("*.py")
        if "tests" not in path.relative_to(root).parts
        for app in IMPORT.findall(path.read_text(encoding="utf-8"))
        if app not in PLATFORM
    )
    assert offenders == []
