"""Similar challenges while typing: ranking in three languages, scope, and a flat query count."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, ChallengeTerm, SimilarityGram
from polku.voice.services import challenge_submit, challenge_submit_protected
from polku.voice.services.triage import challenge_merge
from polku.voice.similarity import (
    TOTAL,
    fold,
    gram_counts,
    similar_challenges,
    similarity_index,
    similarity_rebuild,
    similarity_remove,
    words,
)
from polku.voice.tests.factories import challenge_input, make_challenge, make_endorsement

URL = reverse("voice:similar")

# Unrelated challenges in the three languages, so that frequent trigrams weigh little.
BACKGROUND = [
    (
        "Labour inspectors cannot share findings with the police",
        "Findings reach the police weeks later.",
    ),
    (
        "Forced begging in shopping centres is not recognised",
        "Security staff do not know whom to call.",
    ),
    ("Safe housing for men is missing", "Shelters take only women and children."),
    (
        "Työsuojelutarkastajat eivät saa tietoja poliisilta",
        "Tiedot kulkevat hitaasti viranomaisten välillä.",
    ),
    (
        "Pakkoavioliitot jäävät tunnistamatta kouluissa",
        "Opettajat eivät tunnista merkkejä ajoissa.",
    ),
    (
        "Marjanpoimijoiden asunnot ovat huonossa kunnossa",
        "Poimijat asuvat ahtaasti ja maksavat liikaa.",
    ),
    ("Socialarbetare saknar utbildning om tvångsarbete", "Många fall upptäcks inte i tid."),
    ("Polisen har för lite resurser för utredningar", "Utredningarna tar flera år att slutföra."),
    ("Skyddat boende saknas i norra Finland", "Offren måste flytta långt bort."),
]


def _index(**fields: object) -> Challenge:
    challenge = make_challenge(**fields)  # type: ignore[arg-type]
    similarity_index(challenge)
    return challenge


@pytest.fixture
def background(personas: Personas) -> list[Challenge]:
    return [
        _index(submitted_by=personas.ngo, title=title, description=description)
        for title, description in BACKGROUND
    ]


def _titles(personas: Personas, title: str, description: str = "") -> list[str]:
    return [
        item.challenge.title
        for item in similar_challenges(
            user=personas.practitioner, title=title, description=description
        )
    ]


def test_it_folds_accents_and_case() -> None:
    """Words are compared in lowercase without accents; single letters and numbers are dropped."""
    assert fold("Löydy Å") == "loydy a"
    assert words("Ihmiskaupan uhreille ei löydy 2 tulkkia, ö!") == [
        "ihmiskaupan",
        "uhreille",
        "ei",
        "loydy",
        "tulkkia",
    ]
    assert gram_counts("Uhri", "")[" uh"] == 2


def test_it_matches_inflected_finnish(personas: Personas, background: list[Challenge]) -> None:
    """ "ihmiskaupan uhrien tulkkaus" finds "Ihmiskaupan uhreille ei löydy tulkkia" first."""
    target = _index(
        submitted_by=personas.ngo,
        title="Ihmiskaupan uhreille ei löydy tulkkia",
        description="Poliisi joutuu odottamaan tulkkia useita päiviä.",
    )
    found = _titles(personas, "ihmiskaupan uhrien tulkkaus")
    assert found[0] == target.title


def test_it_matches_inflected_swedish(personas: Personas, background: list[Challenge]) -> None:
    """Swedish forms of the same words ("tolkar", "tolkning", "offren", "offer") match."""
    target = _index(
        submitted_by=personas.ngo,
        title="Tolkar saknas för offren för människohandel",
        description="Förhören skjuts upp eftersom ingen tolk finns.",
    )
    found = _titles(personas, "Ingen tolkning för offer av människohandeln")
    assert found[0] == target.title


def test_it_matches_english(personas: Personas, background: list[Challenge]) -> None:
    """English inflections ("interpreters", "interpreting"; "victims", "victim") match."""
    target = _index(
        submitted_by=personas.ngo,
        title="No interpreters for trafficking victims at night",
        description="Interviews are postponed until an interpreter is found.",
    )
    found = _titles(personas, "Interpreting for a trafficked victim")
    assert found[0] == target.title


def test_it_ranks_the_challenge_below_related_text_for_unrelated_text(
    personas: Personas, background: list[Challenge]
) -> None:
    """Text about another problem finds the other problem, not the interpreting challenge."""
    target = _index(
        submitted_by=personas.ngo,
        title="Ihmiskaupan uhreille ei löydy tulkkia",
        description="Poliisi joutuu odottamaan tulkkia useita päiviä.",
    )
    found = _titles(personas, "Marjanpoimijoiden asuminen", "poimijoiden asunnot")
    assert found[0] == "Marjanpoimijoiden asunnot ovat huonossa kunnossa"
    assert target.title not in found[:1]
    assert target.title not in _titles(personas, "shopping centres begging security")


def test_it_finds_nothing_for_empty_or_unknown_text(
    personas: Personas, background: list[Challenge]
) -> None:
    """No words, or words no challenge shares, give no results."""
    assert _titles(personas, "", "") == []
    assert _titles(personas, "? 1 2 3", "") == []
    assert _titles(personas, "zzqx wvvq", "") == []


def test_it_never_shows_drafts_or_merged_challenges(
    personas: Personas, background: list[Challenge]
) -> None:
    """Drafts, even indexed by mistake, and merged challenges never appear; the reader's own
    draft is not offered either."""
    title = "Ihmiskaupan uhreille ei löydy tulkkia"
    others_draft = make_challenge(
        submitted_by=personas.ngo, status=ChallengeStatus.DRAFT, title=title
    )
    own_draft = make_challenge(
        submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT, title=title
    )
    merged = make_challenge(submitted_by=personas.ngo, status=ChallengeStatus.MERGED, title=title)
    similarity_index(others_draft)
    similarity_index(merged)
    assert not ChallengeTerm.objects.filter(challenge__in=[others_draft, merged]).exists()
    # Index rows written by other means are still filtered by the reader's scope.
    for challenge in (others_draft, own_draft, merged):
        challenge.status = ChallengeStatus.RECEIVED
        similarity_index(challenge)
        Challenge.objects.filter(pk=challenge.pk).update(
            status=ChallengeStatus.MERGED if challenge == merged else ChallengeStatus.DRAFT
        )
    assert _titles(personas, "ihmiskaupan uhrien tulkkaus") == []


def test_it_shows_protected_challenges_without_identity(
    personas: Personas, client_for: ClientFor, background: list[Challenge]
) -> None:
    """A protected challenge is offered like any other, with nothing of who raised it."""
    challenge, _code = challenge_submit_protected(
        actor=personas.ngo,
        data=challenge_input(
            title="Ihmiskaupan uhreille ei löydy tulkkia",
            description="Poliisi joutuu odottamaan tulkkia useita päiviä.",
        ),
        reveal_organisation_kind="ngo",
    )
    response = client_for("practitioner").post(
        URL, {"title": "ihmiskaupan uhrien tulkkaus"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert str(challenge.reference) in html
    for identity in ("Victim Support NGO", "ngo", personas.ngo.username, "NGO"):
        assert identity not in html


def test_the_submit_services_index_the_challenge(personas: Personas) -> None:
    """Submitting puts a challenge in the index and counts its trigrams; removing undoes it."""
    challenge = challenge_submit(
        actor=personas.practitioner,
        data=challenge_input(title="Tulkkeja ei ole", description="Yöllä ei saa tulkkia."),
    )
    assert ChallengeTerm.objects.filter(challenge=challenge).exists()
    assert SimilarityGram.objects.get(gram=TOTAL).challenge_count == 1
    assert SimilarityGram.objects.get(gram="tul").challenge_count == 1
    similarity_remove(challenge)
    assert not ChallengeTerm.objects.filter(challenge=challenge).exists()
    assert SimilarityGram.objects.get(gram=TOTAL).challenge_count == 0
    assert SimilarityGram.objects.get(gram="tul").challenge_count == 0


def test_a_rebuild_gives_the_same_ranking(personas: Personas, background: list[Challenge]) -> None:
    """Rebuilding the index from scratch counts every challenge once and keeps the answers."""
    target = _index(submitted_by=personas.ngo, title="Ihmiskaupan uhreille ei löydy tulkkia")
    assert similarity_rebuild() == len(background) + 1
    assert SimilarityGram.objects.get(gram=TOTAL).challenge_count == len(background) + 1
    assert _titles(personas, "ihmiskaupan uhrien tulkkaus")[0] == target.title


def test_the_fragment_lists_reference_status_endorsements_and_endorse_button(
    personas: Personas, client_for: ClientFor, background: list[Challenge]
) -> None:
    """Each result shows its reference, title, status and endorsements, and a button to
    endorse it with the existing endorse action; an endorsed one says so instead."""
    target = _index(
        submitted_by=personas.ngo,
        title="Ihmiskaupan uhreille ei löydy tulkkia",
        status=ChallengeStatus.ACKNOWLEDGED,
    )
    make_endorsement(challenge=target, user=personas.secretariat)
    client = client_for("practitioner")
    response = client.post(
        URL, {"title": "ihmiskaupan uhrien tulkkaus"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert str(target.reference) in html and target.title in html
    assert "Acknowledged" in html and "1 endorsement" in html
    endorse_url = reverse("voice:challenge_endorse", args=[target.pk])
    assert f'action="{endorse_url}"' in html
    assert client.post(endorse_url).status_code == 302
    assert target.endorsements.filter(user=personas.practitioner).exists()
    html = client.post(
        URL, {"title": "ihmiskaupan uhrien tulkkaus"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'action="{endorse_url}"' not in html
    assert "You endorse this challenge." in html


def test_readers_who_cannot_endorse_see_no_button(
    personas: Personas, client_for: ClientFor, background: list[Challenge]
) -> None:
    """The rapporteur sees similar challenges but is offered no endorse button."""
    target = _index(submitted_by=personas.ngo, title="Ihmiskaupan uhreille ei löydy tulkkia")
    html = (
        client_for("rapporteur")
        .post(URL, {"title": "ihmiskaupan uhrien tulkkaus"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert str(target.reference) in html
    assert "We meet this too" not in html


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_who_may_look(client_for: ClientFor, persona: str, method: str) -> None:
    """Every insider may look; outsiders are refused and anonymous visitors sent to sign in."""
    response = getattr(client_for(persona), method)(URL, {"title": "tulkki"})
    expected = {"anonymous": 302, "outsider": 403}.get(persona, 200)
    assert response.status_code == expected


def test_the_page_works_without_javascript(
    personas: Personas, client_for: ClientFor, background: list[Challenge]
) -> None:
    """Without htmx the address is a full page with a form, and the results under it."""
    client = client_for("practitioner")
    page = client.get(URL)
    assert page.status_code == 200
    assert b'<form method="post" role="search"' in page.content
    response = client.post(URL, {"title": "Marjanpoimijoiden asunnot"})
    assert b"<html" in response.content
    assert "Marjanpoimijoiden asunnot ovat huonossa kunnossa" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_raise_page_asks_for_similar_challenges_while_typing(client_for: ClientFor) -> None:
    """The title and description send their text with htmx after a pause in typing, and the
    results land in a polite live region."""
    html = client_for("practitioner").get(reverse("voice:challenge_create")).content.decode()
    assert f'hx-post="{URL}"' in html
    assert 'hx-trigger="keyup changed delay:400ms"' in html
    assert 'hx-include="#id_title, #id_description"' in html
    assert 'id="similar-challenges" aria-live="polite"' in html


def _count(client_for: ClientFor) -> int:
    client = client_for("practitioner")
    data = {"title": "ihmiskaupan uhrien tulkkaus", "description": "tulkki puuttuu"}
    client.post(URL, data, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(queries)


def test_it_keeps_the_query_count_flat(personas: Personas, client_for: ClientFor) -> None:
    """One similar challenge or five cost the same number of queries."""
    title = "Ihmiskaupan uhreille ei löydy tulkkia"
    _index(submitted_by=personas.ngo, title=title)
    for _title, _description in BACKGROUND[:3]:
        _index(submitted_by=personas.ngo, title=_title, description=_description)
    one = _count(client_for)
    for index in range(8):
        target = _index(
            submitted_by=personas.ngo, title=f"{title} {index}", is_protected=index % 2 == 0
        )
        make_endorsement(challenge=target, user=personas.secretariat)
    assert _count(client_for) == one


def test_a_merge_takes_the_duplicate_out_of_the_index(personas: Personas) -> None:
    """The merged duplicate leaves the index and its trigrams stop counting; the survivor stays."""
    duplicate = _index(submitted_by=personas.ngo, title="Tulkkeja ei ole yöllä")
    into = _index(submitted_by=personas.ngo, title="Tulkkeja puuttuu")
    assert SimilarityGram.objects.get(gram=TOTAL).challenge_count == 2
    challenge_merge(actor=personas.coordinator, duplicate=duplicate, into=into)
    assert not ChallengeTerm.objects.filter(challenge=duplicate).exists()
    assert ChallengeTerm.objects.filter(challenge=into).exists()
    assert SimilarityGram.objects.get(gram=TOTAL).challenge_count == 1
    assert SimilarityGram.objects.get(gram="yol").challenge_count == 0


def test_the_rebuild_command_reports_what_it_indexed(
    personas: Personas, background: list[Challenge]
) -> None:
    output = io.StringIO()
    call_command("voice_similarity_rebuild", stdout=output)
    assert output.getvalue().strip() == f"Indexed {len(background)} challenges."
