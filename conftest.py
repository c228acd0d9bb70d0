"""Test settings and the personas every app's tests share."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import BodyKind, BodyRole, BodyVisibility, OrganisationKind
from polku.actors.models import Body, Organisation
from polku.actors.tests.factories import (
    make_body,
    make_body_member,
    make_membership,
    make_organisation,
    make_user,
)

# The browser fixtures (one Chromium for the whole run) serve every app's browser tests.
pytest_plugins = ["tests.browser.fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    """WhiteNoise expects the collected static folder to exist, even empty, in tests."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leaves out tests written for the other database; the suite runs once on each."""
    from django.db import connection

    other = "only_sqlite" if connection.vendor == "postgresql" else "only_postgresql"
    left_out = [item for item in items if item.get_closest_marker(other)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(autouse=True)
def _test_settings(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]
    settings.POLKU_MFA_REQUIRED = False  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's default language, whatever language a request or a
    sign-in in the test before activated in this thread, and leaves it so."""
    translation.deactivate()
    yield
    translation.deactivate()


@dataclass
class Personas:
    """The fixed cast: one user per role, plus an outsider with no membership."""

    interior: Organisation
    justice: Organisation
    social_affairs: Organisation
    police: Organisation
    ngo_org: Organisation
    coordinator: User
    secretariat: User
    secretariat2: User
    practitioner: User
    ngo: User
    decisionmaker: User
    dataprovider: User
    rapporteur: User
    admin: User
    outsider: User
    secretariat_body: Body
    private_group: Body

    def by_name(self, name: str) -> User | None:
        if name == "anonymous":
            return None
        user: User = getattr(self, name)
        return user


PERSONA_NAMES = [
    "coordinator",
    "secretariat",
    "secretariat2",
    "practitioner",
    "ngo",
    "decisionmaker",
    "dataprovider",
    "rapporteur",
    "admin",
    "outsider",
    "anonymous",
]


def _member(username: str, organisation: Organisation, role: Role) -> User:
    user = make_user(username=username)
    make_membership(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def personas(db: None) -> Personas:
    interior = make_organisation(name="Ministry of the Interior", kind=OrganisationKind.MINISTRY)
    justice = make_organisation(name="Ministry of Justice", kind=OrganisationKind.MINISTRY)
    social = make_organisation(
        name="Ministry of Social Affairs and Health", kind=OrganisationKind.MINISTRY
    )
    police = make_organisation(name="National Police Board", kind=OrganisationKind.AUTHORITY)
    ngo_org = make_organisation(name="Victim Support NGO", kind=OrganisationKind.NGO)
    statistics = make_organisation(name="Statistics Office", kind=OrganisationKind.AUTHORITY)
    rapporteur_org = make_organisation(
        name="Non-Discrimination Ombudsman", kind=OrganisationKind.RAPPORTEUR
    )
    government = make_organisation(name="Government", kind=OrganisationKind.POLITICAL)
    coordinator = _member("coordinator", interior, Role.COORDINATOR)
    secretariat = _member("secretariat", justice, Role.SECRETARIAT)
    secretariat2 = _member("secretariat2", social, Role.SECRETARIAT)
    secretariat_body = make_body(
        name="Anti-trafficking secretariat",
        kind=BodyKind.SECRETARIAT,
        convened_by=interior,
        visibility=BodyVisibility.ALL_USERS,
    )
    make_body_member(
        body=secretariat_body, user=coordinator, organisation=interior, role=BodyRole.CHAIR
    )
    make_body_member(
        body=secretariat_body, user=secretariat, organisation=justice, role=BodyRole.FOCAL_POINT
    )
    make_body_member(
        body=secretariat_body, user=secretariat2, organisation=social, role=BodyRole.FOCAL_POINT
    )
    private_group = make_body(
        name="Closed working group",
        kind=BodyKind.WORKING_GROUP,
        convened_by=justice,
        visibility=BodyVisibility.MEMBERS,
    )
    make_body_member(
        body=private_group, user=secretariat, organisation=justice, role=BodyRole.CHAIR
    )
    practitioner = _member("practitioner", police, Role.PRACTITIONER)
    make_body_member(
        body=private_group, user=practitioner, organisation=police, role=BodyRole.MEMBER
    )
    return Personas(
        interior=interior,
        justice=justice,
        social_affairs=social,
        police=police,
        ngo_org=ngo_org,
        coordinator=coordinator,
        secretariat=secretariat,
        secretariat2=secretariat2,
        practitioner=practitioner,
        ngo=_member("ngo", ngo_org, Role.PRACTITIONER),
        decisionmaker=_member("decisionmaker", government, Role.DECISION_MAKER),
        dataprovider=_member("dataprovider", statistics, Role.DATA_PROVIDER),
        rapporteur=_member("rapporteur", rapporteur_org, Role.RAPPORTEUR),
        admin=_member("admin", interior, Role.ADMINISTRATOR),
        outsider=make_user(username="outsider"),
        secretariat_body=secretariat_body,
        private_group=private_group,
    )


@pytest.fixture
def client_for(personas: Personas) -> "ClientFor":
    return ClientFor(personas)


class ClientFor:
    """Returns a test client signed in as the named persona (or anonymous)."""

    def __init__(self, personas: Personas) -> None:
        self.personas = personas

    def __call__(self, name: str) -> Client:
        client = Client()
        user = self.personas.by_name(name)
        if user is not None:
            client.force_login(user)
        return client
