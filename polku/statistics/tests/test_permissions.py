"""Every persona against every estimate page and action: 200/302, 403 or 404."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.actors.models import Organisation
from polku.actors.tests.factories import make_membership, make_user
from polku.statistics.choices import RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.permissions import estimate_scope
from polku.statistics.tests.factories import make_run

COORDINATION = {"coordinator", "secretariat", "secretariat2"}
ESTIMATORS = COORDINATION | {"dataprovider", "rapporteur"}


@dataclass
class World:
    """A coordination run, a data provider's own run and a finished one of the rapporteur."""

    coordination: EstimateRun
    provider: EstimateRun
    rapporteur: EstimateRun
    accepted: EstimateRun


@pytest.fixture
def world(personas: Personas) -> World:
    statistics_office = Organisation.objects.get(name="Statistics Office")
    ombudsman = Organisation.objects.get(name="Non-Discrimination Ombudsman")
    accepted = make_run(created_by=personas.coordinator, organisation=personas.interior)
    EstimateRun.objects.filter(pk=accepted.pk).update(
        for_annual_report=True, accepted_by=personas.coordinator, accepted_at=accepted.created_at
    )
    accepted.refresh_from_db()
    return World(
        coordination=make_run(created_by=personas.secretariat, organisation=personas.justice),
        provider=make_run(
            created_by=personas.dataprovider,
            organisation=statistics_office,
            for_coordination=False,
        ),
        rapporteur=make_run(
            created_by=personas.rapporteur, organisation=ombudsman, for_coordination=False
        ),
        accepted=accepted,
    )


def on_object(name: str, *, allowed: set[str], visible: set[str]) -> int:
    """Outsiders to a run never learn it exists (404); those who see it but may not act, 403."""
    if name == "anonymous":
        return 302
    if name in allowed:
        return 200
    if name in visible:
        return 403
    return 404


def on_page(name: str, *, allowed: set[str]) -> int:
    """Pages that name no run: 403 for anyone signed in without the right."""
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 403


Url = Callable[[World], str]

PAGES: list[tuple[str, Url, Callable[[str], int]]] = [
    (
        "list",
        lambda w: reverse("statistics:estimate_list"),
        lambda n: on_page(n, allowed=ESTIMATORS),
    ),
    (
        "upload",
        lambda w: reverse("statistics:estimate_create"),
        lambda n: on_page(n, allowed=ESTIMATORS),
    ),
    (
        "example table",
        lambda w: reverse("statistics:estimate_template"),
        lambda n: on_page(n, allowed=ESTIMATORS),
    ),
    (
        "coordination run",
        lambda w: w.coordination.get_absolute_url(),
        lambda n: on_object(n, allowed=COORDINATION, visible=COORDINATION),
    ),
    (
        "coordination run's table",
        lambda w: reverse("statistics:estimate_table", args=[w.coordination.pk]),
        lambda n: on_object(n, allowed=COORDINATION, visible=COORDINATION),
    ),
    (
        "coordination run's table as CSV",
        lambda w: reverse("statistics:estimate_table_csv", args=[w.coordination.pk]),
        lambda n: on_object(n, allowed=COORDINATION, visible=COORDINATION),
    ),
    (
        "coordination run again",
        lambda w: reverse("statistics:estimate_rerun", args=[w.coordination.pk]),
        lambda n: on_object(n, allowed=COORDINATION, visible=COORDINATION),
    ),
    (
        "coordination run compared",
        lambda w: reverse("statistics:estimate_compare", args=[w.coordination.pk]),
        lambda n: on_object(n, allowed=COORDINATION, visible=COORDINATION),
    ),
    (
        "delete coordination run",
        lambda w: reverse("statistics:estimate_delete", args=[w.coordination.pk]),
        lambda n: on_object(n, allowed=COORDINATION, visible=COORDINATION),
    ),
    (
        "delete accepted run",
        lambda w: reverse("statistics:estimate_delete", args=[w.accepted.pk]),
        lambda n: on_object(n, allowed=set(), visible=COORDINATION),
    ),
    (
        "data provider's run",
        lambda w: w.provider.get_absolute_url(),
        lambda n: on_object(n, allowed={"dataprovider"}, visible={"dataprovider"}),
    ),
    (
        "data provider's table",
        lambda w: reverse("statistics:estimate_table", args=[w.provider.pk]),
        lambda n: on_object(n, allowed={"dataprovider"}, visible={"dataprovider"}),
    ),
    (
        "rapporteur's run",
        lambda w: w.rapporteur.get_absolute_url(),
        lambda n: on_object(n, allowed={"rapporteur"}, visible={"rapporteur"}),
    ),
    (
        "rapporteur's table",
        lambda w: reverse("statistics:estimate_table", args=[w.rapporteur.pk]),
        lambda n: on_object(n, allowed={"rapporteur"}, visible={"rapporteur"}),
    ),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(("page", "url", "status"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona_as_the_permission_model_says(
    world: World,
    client_for: ClientFor,
    persona: str,
    page: str,
    url: Url,
    status: Callable[[str], int],
) -> None:
    """Pages answer 200, 302 to sign in, 403 or 404 exactly as the permission model says."""
    response = client_for(persona).get(url(world))
    assert response.status_code == status(persona), (page, persona)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


ACTIONS: list[tuple[str, str, Callable[[World], EstimateRun], set[str], set[str]]] = [
    ("accept", "statistics:estimate_accept", lambda w: w.coordination, COORDINATION, COORDINATION),
    ("withdraw", "statistics:estimate_withdraw", lambda w: w.accepted, COORDINATION, COORDINATION),
    (
        "accept a data provider's run",
        "statistics:estimate_accept",
        lambda w: w.provider,
        set(),
        {"dataprovider"},
    ),
    ("delete", "statistics:estimate_delete", lambda w: w.coordination, COORDINATION, COORDINATION),
    (
        "delete a data provider's run",
        "statistics:estimate_delete",
        lambda w: w.provider,
        {"dataprovider"},
        {"dataprovider"},
    ),
    (
        "delete the rapporteur's run",
        "statistics:estimate_delete",
        lambda w: w.rapporteur,
        {"rapporteur"},
        {"rapporteur"},
    ),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(
    ("action", "name", "run", "allowed", "visible"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_it_lets_only_the_right_people_act(
    world: World,
    client_for: ClientFor,
    persona: str,
    action: str,
    name: str,
    run: Callable[[World], EstimateRun],
    allowed: set[str],
    visible: set[str],
) -> None:
    """Actions redirect when done, and otherwise change nothing."""
    target = run(world)
    before = EstimateRun.objects.filter(pk=target.pk).values().first()
    response = client_for(persona).post(reverse(name, args=[target.pk]))
    expected = on_object(persona, allowed=allowed, visible=visible)
    assert response.status_code == (302 if expected == 200 else expected), (action, persona)
    if expected != 200:
        assert EstimateRun.objects.filter(pk=target.pk).values().first() == before


def test_it_shows_each_organisation_only_its_own_runs(
    world: World, personas: Personas, client_for: ClientFor
) -> None:
    """A second data provider of the same office sees its runs; one elsewhere does not."""
    office = world.provider.organisation
    colleague = make_user(username="colleague")
    make_membership(user=colleague, organisation=office, role="data_provider")
    elsewhere = make_user(username="elsewhere")
    make_membership(user=elsewhere, organisation=personas.police, role="data_provider")
    assert set(estimate_scope(colleague)) == {world.provider}
    assert set(estimate_scope(elsewhere)) == set()
    assert set(estimate_scope(personas.secretariat2)) == {world.coordination, world.accepted}


def test_it_lets_a_running_run_be_seen_but_not_accepted(
    personas: Personas, client_for: ClientFor
) -> None:
    """Accepting a run still running is refused with a message, and nothing changes."""
    run = make_run(
        created_by=personas.secretariat, organisation=personas.justice, status=RunStatus.RUNNING
    )
    response = client_for("coordinator").post(
        reverse("statistics:estimate_accept", args=[run.pk]), follow=True
    )
    assert "Only a finished estimate with an interval" in response.text
    run.refresh_from_db()
    assert not run.for_annual_report
