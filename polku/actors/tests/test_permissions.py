"""Every persona against every directory page: 200, 302 to sign in, 403 or 404."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas

INSIDERS = [name for name in PERSONA_NAMES if name not in ("outsider", "anonymous")]
MANAGERS = {"coordinator", "admin"}
COORDINATION = {"coordinator", "secretariat", "secretariat2", "admin"}


def expected(name: str, *, allowed: set[str], visible: set[str]) -> int:
    if name == "anonymous":
        return 302
    if name in allowed:
        return 200
    if name in visible:
        return 403
    return 404


Url = Callable[[Personas], str]

PAGES: list[tuple[str, Url, Callable[[str], int]]] = [
    (
        "organisation list",
        lambda p: reverse("actors:organisation_list"),
        lambda n: 302 if n == "anonymous" else 403 if n == "outsider" else 200,
    ),
    (
        "organisation detail",
        lambda p: reverse("actors:organisation_detail", args=[p.justice.pk]),
        lambda n: expected(n, allowed=set(INSIDERS), visible=set()),
    ),
    (
        "organisation create",
        lambda p: reverse("actors:organisation_create"),
        lambda n: 302 if n == "anonymous" else 200 if n in MANAGERS else 403,
    ),
    (
        "organisation update",
        lambda p: reverse("actors:organisation_update", args=[p.justice.pk]),
        lambda n: expected(n, allowed=MANAGERS, visible=set(INSIDERS)),
    ),
    (
        "person list",
        lambda p: reverse("actors:person_list"),
        lambda n: 302 if n == "anonymous" else 403 if n == "outsider" else 200,
    ),
    (
        "person detail",
        lambda p: reverse("actors:person_detail", args=[p.practitioner.pk]),
        lambda n: expected(n, allowed=set(INSIDERS), visible=set()),
    ),
    (
        "person without a role",
        lambda p: reverse("actors:person_detail", args=[p.outsider.pk]),
        lambda n: expected(n, allowed=COORDINATION, visible=set()),
    ),
    (
        "person update",
        lambda p: reverse("actors:person_update", args=[p.practitioner.pk]),
        lambda n: expected(n, allowed=MANAGERS, visible=set(INSIDERS)),
    ),
    (
        "person create",
        lambda p: reverse("actors:person_create"),
        lambda n: 302 if n == "anonymous" else 200 if n in MANAGERS else 403,
    ),
    (
        "body list",
        lambda p: reverse("actors:body_list"),
        lambda n: 302 if n == "anonymous" else 403 if n == "outsider" else 200,
    ),
    (
        "open body",
        lambda p: reverse("actors:body_detail", args=[p.secretariat_body.pk]),
        lambda n: expected(n, allowed=set(INSIDERS), visible=set()),
    ),
    (
        "closed body",
        lambda p: reverse("actors:body_detail", args=[p.private_group.pk]),
        lambda n: expected(n, allowed=COORDINATION | {"practitioner"}, visible=set()),
    ),
    (
        "closed body update",
        lambda p: reverse("actors:body_update", args=[p.private_group.pk]),
        lambda n: expected(
            n, allowed=MANAGERS | {"secretariat"}, visible=COORDINATION | {"practitioner"}
        ),
    ),
    (
        "end a membership",
        lambda p: reverse(
            "actors:membership_end",
            args=[p.practitioner.pk, p.practitioner.memberships.get().pk],
        ),
        lambda n: expected(n, allowed=MANAGERS, visible=set(INSIDERS)),
    ),
    (
        "remove a seat on a closed body",
        lambda p: reverse(
            "actors:body_member_remove",
            args=[p.private_group.pk, p.private_group.members.get(user=p.practitioner).pk],
        ),
        lambda n: expected(
            n, allowed=MANAGERS | {"secretariat"}, visible=COORDINATION | {"practitioner"}
        ),
    ),
    (
        "open body update",
        lambda p: reverse("actors:body_update", args=[p.secretariat_body.pk]),
        lambda n: expected(n, allowed=MANAGERS, visible=set(INSIDERS)),
    ),
    (
        "body create",
        lambda p: reverse("actors:body_create"),
        lambda n: 302 if n == "anonymous" else 200 if n in MANAGERS else 403,
    ),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(("page", "url", "status"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona_as_the_permission_model_says(
    personas: Personas,
    client_for: ClientFor,
    persona: str,
    page: str,
    url: Url,
    status: Callable[[str], int],
) -> None:
    """Outsiders never learn an object exists (404); insiders without the right get 403."""
    response = client_for(persona).get(url(personas))
    assert response.status_code == status(persona), (page, persona)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["ngo", "practitioner", "secretariat2", "outsider"])
def test_it_refuses_writes_from_people_who_may_not_manage(
    personas: Personas, client_for: ClientFor, persona: str
) -> None:
    """A POST from someone without the right changes nothing."""
    client = client_for(persona)
    name_before = personas.justice.name
    response = client.post(
        reverse("actors:organisation_update", args=[personas.justice.pk]),
        {"name": "Renamed", "kind": "ministry", "is_active": "on"},
    )
    assert response.status_code in (403, 404)
    personas.justice.refresh_from_db()
    assert personas.justice.name == name_before
    response = client.post(
        reverse("actors:body_member_add", args=[personas.secretariat_body.pk]),
        {"person": "ngo", "organisation": "Victim Support NGO", "role": "member"},
    )
    assert response.status_code in (403, 404)
    assert not personas.secretariat_body.members.filter(user=personas.ngo).exists()


POSTS: list[tuple[str, Callable[[Personas], str], dict[str, str]]] = [
    (
        "give a role",
        lambda p: reverse("actors:membership_add", args=[p.ngo.pk]),
        {"organisation": "National Police Board", "role": "practitioner"},
    ),
    (
        "confirm a membership",
        lambda p: reverse("actors:membership_confirm", args=[p.ngo.pk, p.ngo.memberships.get().pk]),
        {},
    ),
    (
        "end a membership",
        lambda p: reverse("actors:membership_end", args=[p.ngo.pk, p.ngo.memberships.get().pk]),
        {},
    ),
    (
        "edit a person",
        lambda p: reverse("actors:person_update", args=[p.ngo.pk]),
        {"username": "renamed", "is_active": "on"},
    ),
    (
        "edit a body",
        lambda p: reverse("actors:body_update", args=[p.secretariat_body.pk]),
        {"name": "Renamed", "kind": "secretariat", "visibility": "all_users"},
    ),
    (
        "remove a seat",
        lambda p: reverse(
            "actors:body_member_remove",
            args=[p.secretariat_body.pk, p.secretariat_body.members.first().pk],  # type: ignore[union-attr]
        ),
        {},
    ),
]


def _state(personas: Personas) -> tuple[object, ...]:
    ngo = type(personas.ngo).objects.get(pk=personas.ngo.pk)
    memberships = tuple(ngo.memberships.values_list("role", "is_active", "confirmed_at"))
    body = type(personas.secretariat_body).objects.get(pk=personas.secretariat_body.pk)
    return (ngo.username, memberships, body.name, body.members.count())


@pytest.mark.parametrize(
    "persona", ["practitioner", "ngo", "secretariat2", "rapporteur", "outsider"]
)
@pytest.mark.parametrize(("action", "url", "data"), POSTS, ids=[post[0] for post in POSTS])
def test_refused_posts_change_nothing(
    personas: Personas,
    client_for: ClientFor,
    persona: str,
    action: str,
    url: Callable[[Personas], str],
    data: dict[str, str],
) -> None:
    """Each write from someone who may not make it is refused (403, or 404 for an outsider)
    and leaves every row as it was."""
    before = _state(personas)
    response = client_for(persona).post(url(personas), data)
    assert response.status_code == (404 if persona == "outsider" else 403), action
    assert _state(personas) == before
