"""Who sees a guideline in each state, and who may comment on it: drafter, invited commenter,
uninvited practitioner and the public."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import Personas
from polku.accounts.models import User
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.permissions import (
    can_answer,
    can_comment,
    can_draft,
    can_edit,
    comment_scope,
    guideline_scope,
)
from polku.guidelines.tests.factories import make_comment, make_consultation, make_guideline

S = GuidelineStatus
PUBLIC = {S.PUBLISHED, S.SUPERSEDED, S.WITHDRAWN}


def _reader(personas: Personas, who: str) -> User | AnonymousUser:
    readers: dict[str, User | AnonymousUser] = {
        "drafter": personas.secretariat,
        "invited": personas.ngo,
        "uninvited": personas.practitioner,
        "public": AnonymousUser(),
        "outsider": personas.outsider,
    }
    return readers[who]


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("who", ["drafter", "invited", "uninvited", "public", "outsider"])
def test_it_shows_each_state_to_the_right_people(personas: Personas, status: str, who: str) -> None:
    """Drafters see all; invitees see what they were consulted on; others published only."""
    guideline = make_guideline(organisation=personas.interior, status=status)
    if status != S.DRAFT:
        make_consultation(guideline=guideline, organisations=(personas.ngo_org,), days_left=-1)
    visible = guideline_scope(_reader(personas, who)).filter(pk=guideline.pk).exists()
    expected = {
        "drafter": True,
        "invited": status != S.DRAFT,
        "uninvited": status in PUBLIC,
        "public": status in PUBLIC,
        "outsider": status in PUBLIC,
    }[who]
    assert visible is expected


@pytest.mark.parametrize("status", S.values)
def test_only_invitees_comment_and_only_while_the_round_is_open(
    personas: Personas, status: str
) -> None:
    """Comments are taken in consultation only, from invitees (person or organisation)."""
    guideline = make_guideline(organisation=personas.interior, status=status)
    consultation = make_consultation(
        guideline=guideline, organisations=(personas.ngo_org,), people=(personas.practitioner,)
    )
    in_consultation = status == S.CONSULTATION
    assert can_comment(personas.ngo, consultation) is in_consultation
    assert can_comment(personas.practitioner, consultation) is in_consultation
    assert not can_comment(personas.secretariat2, consultation)
    assert not can_comment(personas.decisionmaker, consultation)
    assert not can_comment(AnonymousUser(), consultation)
    assert can_edit(personas.secretariat, guideline) is (status in {S.DRAFT, S.REVISED})
    assert not can_edit(personas.ngo, guideline)
    assert not can_answer(personas.secretariat, consultation)


def test_the_round_closes_at_the_deadline_and_then_drafters_answer(personas: Personas) -> None:
    """After the deadline nobody comments, and the drafters (only) answer."""
    guideline = make_guideline(organisation=personas.interior, status=S.CONSULTATION)
    consultation = make_consultation(
        guideline=guideline, organisations=(personas.ngo_org,), days_left=-1
    )
    assert not can_comment(personas.ngo, consultation)
    assert can_answer(personas.secretariat, consultation)
    assert can_answer(personas.coordinator, consultation)
    assert not can_answer(personas.ngo, consultation)
    assert not can_answer(personas.admin, consultation)
    assert can_draft(personas.secretariat2)
    assert not can_draft(personas.admin)


def test_invitees_see_their_own_organisations_comments(personas: Personas) -> None:
    """Drafters read every comment; an invitee reads their own and their organisation's."""
    guideline = make_guideline(organisation=personas.interior, status=S.CONSULTATION)
    consultation = make_consultation(
        guideline=guideline, organisations=(personas.ngo_org, personas.police)
    )
    ngo_comment = make_comment(
        consultation=consultation, author=personas.ngo, organisation=personas.ngo_org
    )
    police_comment = make_comment(
        consultation=consultation, author=personas.practitioner, organisation=personas.police
    )
    assert set(comment_scope(personas.secretariat, consultation)) == {ngo_comment, police_comment}
    assert set(comment_scope(personas.ngo, consultation)) == {ngo_comment}
    assert set(comment_scope(personas.practitioner, consultation)) == {police_comment}
    assert not comment_scope(AnonymousUser(), consultation).exists()
