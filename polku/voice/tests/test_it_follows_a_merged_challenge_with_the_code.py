"""A protected submitter whose challenge was merged reads the surviving one's answer."""

from django.test import Client
from django.urls import reverse

from conftest import Personas
from polku.voice import services
from polku.voice.services.triage import challenge_merge
from polku.voice.tests.factories import challenge_input, make_challenge


def test_the_code_shows_where_a_merged_challenge_went(personas: Personas) -> None:
    """After a merge the follow-up page names the surviving challenge and shows its answer."""
    duplicate, code = services.challenge_submit_protected(
        actor=personas.practitioner, data=challenge_input()
    )
    surviving = make_challenge(submitted_by=personas.ngo, title="Findings reach the police late")
    challenge_merge(
        actor=personas.coordinator, duplicate=duplicate, into=surviving, note="Same problem."
    )
    surviving.refresh_from_db()
    services.challenge_answer(
        actor=personas.coordinator,
        challenge=surviving,
        text="The ministries agreed on a direct channel for inspection findings.",
    )
    response = Client().post(reverse("voice:followup"), {"code": code})
    content = response.content.decode()
    assert response.status_code == 200
    assert f"Merged into {surviving.reference}" in content
    assert "a direct channel for inspection findings" in content


def test_an_unmerged_challenge_shows_no_merge_section(personas: Personas) -> None:
    """Without a merge the page shows only the challenge itself."""
    _challenge, code = services.challenge_submit_protected(
        actor=personas.practitioner, data=challenge_input()
    )
    response = Client().post(reverse("voice:followup"), {"code": code})
    assert response.status_code == 200
    assert "Merged into" not in response.content.decode()
