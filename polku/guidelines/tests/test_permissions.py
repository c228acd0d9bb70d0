"""Every persona against every guideline page in every state of the lifecycle: 200, 302 to
sign in, 403 or 404. The four that matter most: the drafter (coordinator and secretariat),
the invited commenter (the NGO worker, invited through their organisation), the uninvited
practitioner (the police officer) and the public (anonymous). After the round, the revised
and approved guidelines have a version 2 drafted after it, which the invitee does not read."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import (
    Comment,
    Consultation,
    Guideline,
    GuidelineText,
    GuidelineVersion,
)
from polku.guidelines.paragraphs import paragraphs_for
from polku.guidelines.tests.factories import make_comment, make_consultation, make_guideline

S = GuidelineStatus
# The states to test in; "consultation_ended" is in consultation after its deadline.
KEYS = [
    "draft",
    "consultation",
    "consultation_ended",
    "revised",
    "approved",
    "published",
    "superseded",
    "withdrawn",
]
PUBLIC_KEYS = {"published", "superseded", "withdrawn"}
DRAFTERS = {"coordinator", "secretariat", "secretariat2"}
READ_ALL = DRAFTERS | {"admin"}
INVITED = {"ngo"}
INSIDERS = {name for name in PERSONA_NAMES if name not in ("outsider", "anonymous")}
# States whose guideline was redrafted after its round closed.
REDRAFTED = {"revised", "approved"}
LATER_DRAFT = "A paragraph drafted after the round closed."


@dataclass
class World:
    guidelines: dict[str, Guideline]
    rounds: dict[str, Consultation]
    comments: dict[str, Comment]


@pytest.fixture
def world(personas: Personas) -> World:
    guidelines: dict[str, Guideline] = {}
    rounds: dict[str, Consultation] = {}
    comments: dict[str, Comment] = {}
    for key in KEYS:
        status = S.CONSULTATION if key == "consultation_ended" else key
        guideline = make_guideline(organisation=personas.interior, status=status)
        guidelines[key] = guideline
        if key == "draft":
            continue
        consultation = make_consultation(
            guideline=guideline,
            organisations=(personas.ngo_org,),
            days_left=14 if key == "consultation" else -1,
        )
        rounds[key] = consultation
        comments[key] = make_comment(
            consultation=consultation, author=personas.ngo, organisation=personas.ngo_org
        )
        if key in REDRAFTED:
            _redraft(guideline)
    # The published guideline's report was published with it.
    Consultation.objects.filter(pk=rounds["published"].pk).update(
        report_published_at=timezone.now()
    )
    return World(guidelines=guidelines, rounds=rounds, comments=comments)


def _redraft(guideline: Guideline) -> None:
    """Writes version 2 after the round, as the drafters do when revising."""
    first = GuidelineText.objects.get(version__guideline=guideline, language="en")
    version = GuidelineVersion.objects.create(
        guideline=guideline, number=2, created_at=timezone.now()
    )
    body = f"{first.body}\n\n{LATER_DRAFT}"
    GuidelineText.objects.create(
        version=version,
        language="en",
        title=first.title,
        body=body,
        paragraphs=paragraphs_for(body, first.paragraphs),
    )
    Guideline.objects.filter(pk=guideline.pk).update(current_version=version)


def visible(persona: str, key: str) -> bool:
    return persona in READ_ALL or (persona in INVITED and key != "draft") or key in PUBLIC_KEYS


def sees_round(persona: str, key: str) -> bool:
    return persona in READ_ALL or (persona in INVITED and key != "draft")


def insider_page(persona: str, key: str, *, allowed: bool, seen: bool | None = None) -> int:
    """An insider page about a guideline: sign in first, 404 unseen, 403 seen but refused."""
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    if not (visible(persona, key) if seen is None else seen):
        return 404
    return 200 if allowed else 403


Expected = Callable[[str, str], int]
Url = Callable[[World, str], str | None]


def _guideline(name: str, *args: str) -> Url:
    return lambda w, k: reverse(f"guidelines:{name}", args=[w.guidelines[k].slug, *args])


def _round(name: str) -> Url:
    def url(w: World, k: str) -> str | None:
        if k not in w.rounds:
            return None
        return reverse(f"guidelines:{name}", args=[w.guidelines[k].slug, w.rounds[k].pk])

    return url


def _later_draft_comparison(w: World, k: str) -> str | None:
    if k not in REDRAFTED:
        return None
    url = reverse("guidelines:guideline_diff", args=[w.guidelines[k].slug])
    return f"{url}?from=1&to=2&language=en"


def _compares_later_draft(persona: str, key: str) -> int:
    """Only drafters and administrators read a draft written after the round: not found for
    the round's invitee, as for anyone else who cannot read it."""
    return insider_page(persona, key, allowed=persona in READ_ALL, seen=persona in READ_ALL)


def _report(persona: str, key: str) -> int:
    if key == "published" or persona in READ_ALL:
        return 200
    if persona in INVITED:
        return 403 if key == "consultation" else 200
    return 404


PAGES: list[tuple[str, Url, Expected]] = [
    ("library", lambda w, k: reverse("guidelines:library"), lambda p, k: 200),
    (
        "guideline page",
        _guideline("guideline_detail"),
        lambda p, k: 200 if visible(p, k) else 404,
    ),
    (
        "print page",
        _guideline("guideline_print", "en"),
        lambda p, k: 200 if k in PUBLIC_KEYS else 404,
    ),
    ("PDF", _guideline("guideline_pdf", "en"), lambda p, k: 200 if k in PUBLIC_KEYS else 404),
    (
        "versions",
        _guideline("guideline_versions"),
        lambda p, k: insider_page(p, k, allowed=sees_round(p, k)),
    ),
    (
        "comparison",
        _guideline("guideline_diff"),
        lambda p, k: insider_page(p, k, allowed=sees_round(p, k)),
    ),
    ("comparison with a later draft", _later_draft_comparison, _compares_later_draft),
    (
        "edit text",
        _guideline("guideline_text", "en"),
        lambda p, k: insider_page(p, k, allowed=p in DRAFTERS and k in {"draft", "revised"}),
    ),
    (
        "edit details",
        _guideline("guideline_edit"),
        lambda p, k: insider_page(p, k, allowed=p in DRAFTERS and k not in PUBLIC_KEYS),
    ),
    (
        "open a consultation",
        _guideline("consultation_open"),
        lambda p, k: insider_page(p, k, allowed=p in DRAFTERS and k in {"draft", "revised"}),
    ),
    (
        "record approval",
        _guideline("guideline_approve"),
        lambda p, k: insider_page(p, k, allowed=p in DRAFTERS and k == "revised"),
    ),
    (
        "publish",
        _guideline("guideline_publish"),
        lambda p, k: insider_page(p, k, allowed=p in DRAFTERS and k == "approved"),
    ),
    (
        "withdraw",
        _guideline("guideline_withdraw"),
        lambda p, k: insider_page(
            p, k, allowed=p in DRAFTERS and k not in {"superseded", "withdrawn"}
        ),
    ),
    (
        "consultation page",
        _round("consultation_detail"),
        lambda p, k: insider_page(p, k, allowed=True, seen=sees_round(p, k)),
    ),
    (
        "comment on the whole",
        _round("comment_add"),
        lambda p, k: insider_page(
            p, k, allowed=p in INVITED and k == "consultation", seen=sees_round(p, k)
        ),
    ),
    (
        "answers",
        _round("consultation_answers"),
        lambda p, k: insider_page(
            p, k, allowed=p in DRAFTERS and k != "consultation", seen=sees_round(p, k)
        ),
    ),
    ("report", _round("consultation_report"), _report),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(("page", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona_in_each_state(
    world: World,
    client_for: ClientFor,
    persona: str,
    page: str,
    url: Url,
    expected: Expected,
) -> None:
    """Pages answer 200, 302 to sign in, 403 or 404 exactly as the permission model says."""
    client = client_for(persona)
    for key in KEYS:
        address = url(world, key)
        if address is None:
            continue
        response = client.get(address)
        assert response.status_code == expected(persona, key), (page, persona, key)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


def reads(persona: str, key: str) -> int | None:
    """The version number the guideline page shows the persona (None: no page)."""
    if persona in READ_ALL:
        return 2 if key in REDRAFTED else 1
    if visible(persona, key):
        return 1
    return None


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_guideline_page_shows_each_persona_the_version_they_read(
    world: World, client_for: ClientFor, persona: str
) -> None:
    """Drafters read the current version; the invitee the one put to their round, never the
    draft written after it; everyone else the published one."""
    client = client_for(persona)
    for key in KEYS:
        response = client.get(world.guidelines[key].get_absolute_url())
        number = reads(persona, key)
        if number is None:
            assert response.status_code == 404, (persona, key)
            continue
        assert response.status_code == 200, (persona, key)
        assert response.context["text"].version.number == number, (persona, key)
        assert (LATER_DRAFT in response.content.decode()) is (number == 2), (persona, key)
        versions = client.get(
            reverse("guidelines:guideline_versions", args=[world.guidelines[key].slug])
        )
        if versions.status_code == 200:
            shown = [version.number for version in versions.context["versions"]]
            assert max(shown) == number, (persona, key)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_invited_comment_while_the_round_is_open(
    world: World, client_for: ClientFor, personas: Personas, persona: str
) -> None:
    """A paragraph comment posted by anyone but an invitee, or after the deadline, is refused."""
    client = client_for(persona)
    for key in ("consultation", "consultation_ended", "published"):
        consultation = world.rounds[key]
        paragraph = consultation.version.texts.get(language="en").paragraphs[1]["id"]
        before = Comment.objects.count()
        response = client.post(
            reverse("guidelines:comment_add", args=[world.guidelines[key].slug, consultation.pk]),
            {"body": "A comment.", "language": "en", "paragraph": paragraph},
        )
        allowed = persona in INVITED and key == "consultation"
        expected = (
            302
            if allowed
            else insider_page(persona, key, allowed=False, seen=sees_round(persona, key))
        )
        assert response.status_code == expected, (persona, key)
        assert Comment.objects.count() == before + (1 if allowed else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_drafters_answer_and_publish(
    world: World, client_for: ClientFor, persona: str
) -> None:
    """Answers after the deadline and publication of the approved text: drafters only."""
    client = client_for(persona)
    key = "consultation_ended"
    comment = world.comments[key]
    response = client.post(
        reverse(
            "guidelines:comment_answer",
            args=[world.guidelines[key].slug, world.rounds[key].pk, comment.pk],
        ),
        {f"c{comment.pk}-response": "accepted", f"c{comment.pk}-reason": ""},
    )
    drafter = persona in DRAFTERS
    assert response.status_code == (
        302 if drafter else insider_page(persona, key, allowed=False, seen=sees_round(persona, key))
    )
    comment.refresh_from_db()
    assert comment.is_answered is drafter
    approved = world.guidelines["approved"]
    response = client.post(reverse("guidelines:guideline_publish", args=[approved.slug]))
    assert response.status_code == (
        302 if drafter else insider_page(persona, "approved", allowed=False)
    )
    approved.refresh_from_db()
    assert (approved.status == S.PUBLISHED) is drafter
