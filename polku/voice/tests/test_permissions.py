"""Every persona against every Voice page and action: 200/302, 403 or 404."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.actors.tests.factories import make_membership, make_user
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, Comment, Endorsement
from polku.voice.tests.factories import make_challenge, make_comment

INSIDERS = {name for name in PERSONA_NAMES if name not in ("outsider", "anonymous")}
PARTICIPANTS = {"coordinator", "secretariat", "secretariat2", "practitioner", "ngo"}
TRIAGE = {"coordinator", "secretariat", "secretariat2"}


@dataclass
class World:
    """The objects the pages are asked about."""

    submitted: Challenge
    protected: Challenge
    draft: Challenge
    own_submitted: Challenge
    comment: Comment


@pytest.fixture
def world(personas: Personas) -> World:
    author = make_user(username="author")
    make_membership(user=author, organisation=personas.police, role="practitioner")
    submitted = make_challenge(submitted_by=author)
    return World(
        submitted=submitted,
        protected=make_challenge(is_protected=True, revealed_organisation_kind="ngo"),
        draft=make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT),
        own_submitted=make_challenge(submitted_by=personas.practitioner),
        comment=make_comment(challenge=submitted, author=author),
    )


def on_object(name: str, *, allowed: set[str], visible: set[str] = INSIDERS) -> int:
    """Outsiders never learn an object exists (404); insiders without the right get 403."""
    if name == "anonymous":
        return 302
    if name in allowed:
        return 200
    if name in visible:
        return 403
    return 404


def on_page(name: str, *, allowed: set[str]) -> int:
    """Pages that name no object: 403 for anyone signed in without the right."""
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 403


Url = Callable[[World], str]

PAGES: list[tuple[str, Url, Callable[[str], int]]] = [
    ("list", lambda w: reverse("voice:challenge_list"), lambda n: on_page(n, allowed=INSIDERS)),
    ("mine", lambda w: reverse("voice:challenge_mine"), lambda n: on_page(n, allowed=INSIDERS)),
    (
        "raise",
        lambda w: reverse("voice:challenge_create"),
        lambda n: on_page(n, allowed=PARTICIPANTS),
    ),
    (
        "challenge",
        lambda w: w.submitted.get_absolute_url(),
        lambda n: on_object(n, allowed=INSIDERS),
    ),
    (
        "protected challenge",
        lambda w: w.protected.get_absolute_url(),
        lambda n: on_object(n, allowed=INSIDERS),
    ),
    (
        "someone's draft",
        lambda w: w.draft.get_absolute_url(),
        lambda n: on_object(n, allowed={"practitioner"}, visible={"practitioner"}),
    ),
    (
        "edit draft",
        lambda w: reverse("voice:challenge_edit", args=[w.draft.pk]),
        lambda n: on_object(n, allowed={"practitioner"}, visible={"practitioner"}),
    ),
    (
        "edit a submitted challenge",
        lambda w: reverse("voice:challenge_edit", args=[w.own_submitted.pk]),
        lambda n: on_object(n, allowed=set()),
    ),
    (
        "delete draft",
        lambda w: reverse("voice:challenge_delete", args=[w.draft.pk]),
        lambda n: on_object(n, allowed={"practitioner"}, visible={"practitioner"}),
    ),
    (
        "hide comment",
        lambda w: reverse("voice:comment_hide", args=[w.submitted.pk, w.comment.pk]),
        lambda n: on_object(n, allowed=TRIAGE),
    ),
    ("follow-up", lambda w: reverse("voice:followup"), lambda n: 200),
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


def _success(name: str, *, allowed: set[str]) -> int:
    """Actions redirect back to the challenge when done (302) or refuse."""
    code = on_object(name, allowed=allowed)
    return 302 if code == 200 else code


Check = Callable[[World], bool]

ACTIONS: list[tuple[str, Url, dict[str, Any], set[str], Check]] = [
    (
        "endorse",
        lambda w: reverse("voice:challenge_endorse", args=[w.submitted.pk]),
        {"comment": "We see it in Oulu too."},
        PARTICIPANTS,
        lambda w: Endorsement.objects.filter(challenge=w.submitted).exists(),
    ),
    (
        "comment",
        lambda w: reverse("voice:comment_add", args=[w.submitted.pk]),
        {"body": "The same happens at the border."},
        PARTICIPANTS,
        lambda w: w.submitted.comments.count() == 2,
    ),
    (
        "change status",
        lambda w: reverse("voice:challenge_transition", args=[w.submitted.pk]),
        {"to_status": "acknowledged", "note": ""},
        TRIAGE,
        lambda w: Challenge.objects.get(pk=w.submitted.pk).status == "acknowledged",
    ),
    (
        "answer",
        lambda w: reverse("voice:challenge_answer", args=[w.protected.pk]),
        {"text": "The guidance will change.", "final": "on"},
        TRIAGE,
        lambda w: Challenge.objects.get(pk=w.protected.pk).status == "answered",
    ),
    (
        "assign owner",
        lambda w: reverse("voice:challenge_assign", args=[w.submitted.pk]),
        {"owner": ""},
        TRIAGE,
        lambda w: True,
    ),
    (
        "hide comment",
        lambda w: reverse("voice:comment_hide", args=[w.submitted.pk, w.comment.pk]),
        {"reason": "Off topic."},
        TRIAGE,
        lambda w: Comment.objects.get(pk=w.comment.pk).hidden_at is not None,
    ),
    (
        "follow",
        lambda w: reverse("voice:challenge_follow", args=[w.submitted.pk]),
        {},
        INSIDERS,
        lambda w: w.submitted.followers.exists(),
    ),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(
    ("action", "url", "data", "allowed", "done"), ACTIONS, ids=[action[0] for action in ACTIONS]
)
def test_it_lets_only_the_right_people_act(
    world: World,
    client_for: ClientFor,
    persona: str,
    action: str,
    url: Url,
    data: dict[str, Any],
    allowed: set[str],
    done: Check,
) -> None:
    """Allowed people's actions take effect; everyone else is refused and nothing changes."""
    response = client_for(persona).post(url(world), data)
    assert response.status_code == _success(persona, allowed=allowed), (action, persona)
    if persona in allowed:
        assert done(world), (action, persona)
    elif action != "assign owner":
        assert not done(world), (action, persona)


@pytest.mark.parametrize("persona", sorted(INSIDERS - {"practitioner"}))
def test_nobody_else_can_touch_a_draft(world: World, client_for: ClientFor, persona: str) -> None:
    """Another person's draft cannot be edited, deleted, endorsed or commented on."""
    client = client_for(persona)
    for name in ("challenge_edit", "challenge_delete", "challenge_endorse", "comment_add"):
        response = client.post(reverse(f"voice:{name}", args=[world.draft.pk]), {"body": "x"})
        assert response.status_code == 404, name
    assert Challenge.objects.filter(pk=world.draft.pk, status=ChallengeStatus.DRAFT).exists()
