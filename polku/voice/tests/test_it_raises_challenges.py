"""Practitioners raise challenges through the pages: drafts, the personal-data check,
endorsements, discussion and the secretariat's triage."""

from typing import Any

from django.urls import reverse

from conftest import ClientFor, Personas
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.tests.factories import make_challenge, make_comment


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "No interpreter available for victims speaking Vietnamese at night",
        "description": "Victims identified at night wait until morning before they can be heard.",
        "sectors": ["police", "assistance_system"],
        "exploitation_forms": ["forced_labour", "forced_criminality"],
        "affected_groups": ["migrant_workers"],
        "region": "uusimaa",
        "urgency": "normal",
        "language": "en",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_it_submits_a_clean_challenge(personas: Personas, client_for: ClientFor) -> None:
    """A challenge without personal data is submitted under the author's name with its clocks."""
    response = client_for("practitioner").post(reverse("voice:challenge_create"), _form())
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    assert challenge.status == ChallengeStatus.RECEIVED
    assert challenge.submitted_by == personas.practitioner
    assert challenge.organisation == personas.police
    assert str(challenge.reference).startswith("CH-")
    assert {category.code for category in challenge.categories.all()} == {
        "police",
        "assistance_system",
        "forced_labour",
        "forced_criminality",
        "migrant_workers",
    }
    assert challenge.acknowledge_due_on and challenge.answer_due_on
    assert challenge.acknowledge_due_on < challenge.answer_due_on
    page = client_for("ngo").get(challenge.get_absolute_url()).content.decode()
    assert "Vietnamese at night" in page and "Forced criminality" in page


def test_it_shows_every_finding_and_saves_nothing(
    personas: Personas, client_for: ClientFor
) -> None:
    """Personal data in the text is listed in an error summary, and nothing is submitted."""
    response = client_for("practitioner").post(
        reverse("voice:challenge_create"),
        _form(
            description=(
                "Call Anna Korhonen on 040 123 4567 or write to anna@example.org; she lives at "
                "Hämeenkatu 5."
            )
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Remove the personal data before you submit" in page
    for text in ("Anna Korhonen", "040 123 4567", "anna@example.org", "Hämeenkatu 5"):
        assert f"“{text}”" in page
    assert page.count('href="#id_description"') == 4
    assert not Challenge.objects.exists()


def test_it_keeps_a_draft_for_its_author(personas: Personas, client_for: ClientFor) -> None:
    """A draft can be saved incomplete, is seen only by its author, and is submitted later."""
    client = client_for("practitioner")
    response = client.post(
        reverse("voice:challenge_create"),
        _form(description="", sectors=[], action="draft"),
    )
    draft = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voice:challenge_edit", args=[draft.pk])
    assert draft.status == ChallengeStatus.DRAFT and draft.reference is None
    assert client_for("coordinator").get(draft.get_absolute_url()).status_code == 404
    listed = client_for("coordinator").get(reverse("voice:challenge_list")).content.decode()
    assert draft.title not in listed
    mine = client.get(reverse("voice:challenge_mine")).content.decode()
    assert draft.title in mine
    edit = client.get(reverse("voice:challenge_edit", args=[draft.pk])).content.decode()
    assert "Raise it protected" not in edit
    incomplete = client.post(
        reverse("voice:challenge_edit", args=[draft.pk]), _form(description="", sectors=[])
    )
    assert incomplete.status_code == 200
    assert "Describe the challenge and how you meet it." in incomplete.content.decode()
    assert Challenge.objects.get().status == ChallengeStatus.DRAFT
    done = client.post(reverse("voice:challenge_edit", args=[draft.pk]), _form())
    assert done.status_code == 302
    submitted = Challenge.objects.get()
    assert submitted.pk == draft.pk and submitted.status == ChallengeStatus.RECEIVED


def test_it_deletes_a_draft(personas: Personas, client_for: ClientFor) -> None:
    """The author can delete their draft after confirming."""
    draft = make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT)
    client = client_for("practitioner")
    url = reverse("voice:challenge_delete", args=[draft.pk])
    assert "Delete this draft?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Challenge.objects.exists()


def test_it_lists_and_filters_challenges(personas: Personas, client_for: ClientFor) -> None:
    """The list searches text and filters by status, sector, form of exploitation and region."""
    from polku.voice.tests.factories import exploitation_form, region, sector

    berries = make_challenge(
        submitted_by=personas.ngo,
        title="Berry pickers' recruitment debts",
        region=region("lapland"),
        categories=[sector("labour_inspection"), exploitation_form("forced_labour")],
    )
    night = make_challenge(
        submitted_by=personas.practitioner,
        title="Night-time interpreting",
        status=ChallengeStatus.ACKNOWLEDGED,
        region=region("uusimaa"),
        categories=[sector("police"), exploitation_form("sexual_exploitation")],
    )
    client = client_for("decisionmaker")
    url = reverse("voice:challenge_list")

    def titles(**query: str) -> set[str]:
        page = client.get(url, query).content.decode()
        return {
            challenge.title
            for challenge in (berries, night)
            if challenge.title in page.replace("&#x27;", "'")
        }

    assert titles() == {berries.title, night.title}
    assert titles(q="berry") == {berries.title}
    assert titles(status="acknowledged") == {night.title}
    assert titles(sector="labour_inspection") == {berries.title}
    assert titles(form="sexual_exploitation") == {night.title}
    assert titles(region="lapland") == {berries.title}
    empty = client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No challenges match these filters." in empty


def test_it_shows_the_breadth_of_endorsements(personas: Personas, client_for: ClientFor) -> None:
    """Endorsing through the page counts people, organisations and sectors."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    response = client_for("ngo").post(
        reverse("voice:challenge_endorse", args=[challenge.pk]),
        {"comment": "Every summer in Lapland.", "sector": "ngos"},
    )
    assert response.status_code == 302
    client_for("secretariat").post(
        reverse("voice:challenge_endorse", args=[challenge.pk]), {"comment": ""}
    )
    page = client_for("practitioner").get(challenge.get_absolute_url()).content.decode()
    assert "Every summer in Lapland." in page
    breadth = page.split("People who meet this too", 1)[1]
    values = [part.split("</dd>")[0] for part in breadth.split('summary-list__value">')[1:4]]
    assert values == ["2", "2", "1"]
    refused = client_for("practitioner").post(
        reverse("voice:challenge_endorse", args=[challenge.pk]), {"comment": ""}
    )
    assert refused.status_code == 200
    assert "You raised this challenge" in refused.content.decode()


def test_it_hides_a_comment_with_a_reason(personas: Personas, client_for: ClientFor) -> None:
    """A hidden comment's text leaves the page; the recorded reason takes its place."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    comment = make_comment(challenge=challenge, author=personas.ngo, body="An aside about lunch.")
    url = reverse("voice:comment_hide", args=[challenge.pk, comment.pk])
    missing = client_for("coordinator").post(url, {"reason": ""})
    assert missing.status_code == 200
    assert "govuk-error-summary" in missing.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert client_for("coordinator").post(url, {"reason": "Off topic."}).status_code == 302
    page = client_for("ngo").get(challenge.get_absolute_url()).content.decode()
    assert "An aside about lunch." not in page
    assert "Hidden by the secretariat: Off topic." in page


def test_it_refuses_personal_data_in_comments(personas: Personas, client_for: ClientFor) -> None:
    """A comment with a phone number is refused on the page and not saved."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    response = client_for("ngo").post(
        reverse("voice:comment_add", args=[challenge.pk]),
        {"body": "Her number is 040 123 4567."},
    )
    assert response.status_code == 200
    assert "Remove the phone number" in response.content.decode()
    assert not challenge.comments.exists()


def test_it_triages_on_the_challenge_page(personas: Personas, client_for: ClientFor) -> None:
    """The secretariat acknowledges, is told why a decline needs a reason, answers and assigns."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    client = client_for("secretariat")
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert "Change status" in page and "Give the answer" in page
    assert (
        client_for("ngo").get(challenge.get_absolute_url()).content.decode().count("Change status")
        == 0
    )
    transition = reverse("voice:challenge_transition", args=[challenge.pk])
    skipped = client.post(transition, {"to_status": "on_agenda"})
    assert skipped.status_code == 200
    assert "Select a valid choice" in skipped.content.decode()
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.RECEIVED
    assert client.post(transition, {"to_status": "acknowledged"}).status_code == 302
    declined = client.post(transition, {"to_status": "declined", "note": ""})
    assert declined.status_code == 200
    assert "Give the reason for declining" in declined.content.decode()
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.ACKNOWLEDGED
    answered = client.post(
        reverse("voice:challenge_answer", args=[challenge.pk]),
        {"text": "Night-time interpreting is funded from March.", "final": "on"},
    )
    assert answered.status_code == 302
    owner = client.post(
        reverse("voice:challenge_assign", args=[challenge.pk]), {"owner": personas.secretariat.pk}
    )
    assert owner.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ANSWERED
    assert challenge.owner == personas.secretariat
    submitter_page = client_for("practitioner").get(challenge.get_absolute_url()).content.decode()
    assert "Night-time interpreting is funded from March." in submitter_page
    assert "Owner assigned" not in submitter_page
    assert "Owner assigned" in client.get(challenge.get_absolute_url()).content.decode()
