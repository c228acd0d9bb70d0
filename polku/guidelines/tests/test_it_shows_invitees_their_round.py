"""An invitee reads the version put to the rounds they are invited to, not the drafts written
after their round closed: on the guideline page, the versions and comparison pages, the
consultation pages, the list of guidelines in the making and the news of changes. Invited
again, they read the new round's version; once published, the published one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.guidelines import services
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Guideline
from polku.guidelines.permissions import readable_versions, reading_version_id
from polku.guidelines.tests.factories import BODY, make_comment, make_consultation, make_guideline
from polku.notifications.models import Notification

S = GuidelineStatus
LATER = "A sentence the drafters added after the first round."
LATER_TITLE = "Recognising and referring victims"


@pytest.fixture
def guideline(personas: Personas) -> Guideline:
    """Consulted on in round 1 (the NGO invited), then revised into version 2."""
    guideline = make_guideline(
        organisation=personas.interior, status=S.CONSULTATION, title="Recognising victims"
    )
    round_one = make_consultation(
        guideline=guideline, organisations=(personas.ngo_org,), days_left=-1
    )
    make_comment(consultation=round_one, author=personas.ngo, organisation=personas.ngo_org)
    services.guideline_subscribe(actor=personas.ngo, guideline=guideline)
    comment = round_one.comments.get()
    services.comment_answer(
        actor=personas.secretariat, comment=comment, response="accepted", reason=""
    )
    services.guideline_revise(actor=personas.secretariat, guideline=guideline)
    services.guideline_save_text(
        actor=personas.secretariat,
        guideline=guideline,
        language="en",
        title=LATER_TITLE,
        body=f"{BODY}\n\n{LATER}",
        note="Takes in the comments of round 1",
    )
    guideline.refresh_from_db()
    return guideline


def _page(client_for: ClientFor, persona: str, url: str, **query: str) -> str:
    response = client_for(persona).get(url, query)
    assert response.status_code == 200, (persona, url)
    return response.content.decode()


def test_the_invitee_reads_the_version_of_their_round_on_the_guideline_page(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """The NGO reads version 1 and its title; the drafter reads version 2."""
    invitee = _page(client_for, "ngo", guideline.get_absolute_url())
    assert "Version 1" in invitee
    assert LATER not in invitee
    assert LATER_TITLE not in invitee
    assert "Recognising victims" in invitee
    assert "the text put to consultation round 1" in invitee
    assert guideline.consultations.get().get_absolute_url() in invitee
    drafter = _page(client_for, "secretariat", guideline.get_absolute_url())
    assert "Version 2" in drafter
    assert LATER in drafter
    assert LATER_TITLE in drafter


def test_the_invitee_sees_only_the_versions_of_their_rounds(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """The versions page lists version 1 only; comparing with version 2 is not found."""
    versions_url = reverse("guidelines:guideline_versions", args=[guideline.slug])
    invitee = _page(client_for, "ngo", versions_url)
    assert "Takes in the comments of round 1" not in invitee
    assert "?from=1&amp;to=2" not in invitee
    assert LATER_TITLE not in invitee
    assert "Takes in the comments of round 1" in _page(client_for, "secretariat", versions_url)
    compare = reverse("guidelines:guideline_diff", args=[guideline.slug])
    ngo = client_for("ngo")
    assert ngo.get(compare, {"from": "1", "to": "2", "language": "en"}).status_code == 404
    assert ngo.get(compare, {"from": "2", "to": "1", "language": "en"}).status_code == 404
    # Without numbers the comparison defaults to what the reader may read.
    assert LATER not in _page(client_for, "ngo", compare)
    assert LATER in _page(client_for, "secretariat", compare, **{"from": "1", "to": "2"})


def test_the_consultation_pages_keep_to_the_round(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """The round's page and report show its version and its title, with the NGO's comment."""
    round_one = guideline.consultations.get()
    for url in (
        round_one.get_absolute_url(),
        reverse("guidelines:consultation_report", args=[guideline.slug, round_one.pk]),
    ):
        page = _page(client_for, "ngo", url)
        assert LATER not in page
        assert LATER_TITLE not in page
        assert "Say who pays for the interpreter." in page


def test_the_workspace_lists_the_invitee_s_version_and_title(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """Guidelines in the making name version 1 to the NGO and version 2 to the drafter."""
    url = reverse("guidelines:workspace")
    invitee = _page(client_for, "ngo", url)
    assert "Recognising victims" in invitee
    assert LATER_TITLE not in invitee
    assert LATER_TITLE in _page(client_for, "secretariat", url)


def test_the_invitee_is_not_told_of_later_drafts(personas: Personas, guideline: Guideline) -> None:
    """Subscribed in round 1, the NGO hears nothing of version 2 until invited again."""
    told = Notification.objects.filter(recipient=personas.ngo, kind="guideline")
    assert not told.filter(title__contains=LATER_TITLE).exists()
    assert not told.filter(title__contains="New version").exists()


def test_invited_again_the_invitee_reads_the_new_round_s_version(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """A second round on version 2 that invites the NGO again opens version 2 to it."""
    services.consultation_open(
        actor=personas.secretariat,
        guideline=guideline,
        deadline=timezone.localdate() + timedelta(days=14),
        organisations=[personas.ngo_org],
    )
    guideline.refresh_from_db()
    page = _page(client_for, "ngo", guideline.get_absolute_url())
    assert LATER in page
    assert "Comment on this paragraph" in page
    compare = reverse("guidelines:guideline_diff", args=[guideline.slug])
    assert f"<ins>{LATER}</ins>" in _page(
        client_for, "ngo", compare, **{"from": "1", "to": "2", "language": "en"}
    )


def test_a_later_round_without_the_invitee_keeps_them_on_their_version(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """Round 2 invites the police only: the NGO keeps reading version 1, and the police
    officer reads version 2 but not version 1, which was not put to them."""
    services.consultation_open(
        actor=personas.secretariat,
        guideline=guideline,
        deadline=timezone.localdate() + timedelta(days=14),
        people=[personas.practitioner],
    )
    guideline.refresh_from_db()
    invitee = _page(client_for, "ngo", guideline.get_absolute_url())
    assert LATER not in invitee
    assert "Comment on this paragraph" not in invitee
    assert LATER in _page(client_for, "practitioner", guideline.get_absolute_url())
    assert [version.number for version in readable_versions(personas.ngo, guideline)] == [1]
    police_versions = readable_versions(personas.practitioner, guideline)
    assert [version.number for version in police_versions] == [2]
    assert reading_version_id(personas.ngo, guideline) != guideline.current_version_id
    round_one = guideline.consultations.get(number=1)
    police = client_for("practitioner")
    assert police.get(round_one.get_absolute_url()).status_code == 404


def test_once_published_the_invitee_reads_the_published_text(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """After publication everyone, invitees included, reads the published version."""
    Guideline.objects.filter(pk=guideline.pk).update(
        status=S.PUBLISHED,
        published_version=guideline.current_version,
        published_at=timezone.now(),
    )
    guideline.refresh_from_db()
    page = _page(client_for, "ngo", guideline.get_absolute_url())
    assert LATER in page
    readable = readable_versions(personas.ngo, guideline).order_by("number")
    assert [version.number for version in readable] == [1, 2]


def test_the_invitee_keeps_the_round_s_title_when_it_lacks_the_main_language(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """Once the guideline's main language is one the round's version has no text in, the
    invitee still reads that version's title in another language, never the later draft's."""
    Guideline.objects.filter(pk=guideline.pk).update(language="sv")
    round_one = guideline.consultations.get()
    for url in (
        reverse("guidelines:workspace"),
        guideline.get_absolute_url(),
        round_one.get_absolute_url(),
    ):
        page = _page(client_for, "ngo", url)
        assert "Recognising victims" in page, url
        assert LATER_TITLE not in page, url
    assert LATER_TITLE in _page(client_for, "secretariat", reverse("guidelines:workspace"))


def test_a_reader_of_a_single_version_is_told_there_is_nothing_to_compare(
    personas: Personas, client_for: ClientFor, guideline: Guideline
) -> None:
    """The NGO reads version 1 alone: the comparison page says so instead of comparing
    version 1 with itself, and a version it may not read is still not found."""
    compare = reverse("guidelines:guideline_diff", args=[guideline.slug])
    for query in ({}, {"from": "1", "to": "1", "language": "en"}):
        page = _page(client_for, "ngo", compare, **query)
        assert "Version 1 and version 1" not in page
        assert "There is no other version you can compare version 1 with." in page
        assert reverse("guidelines:guideline_versions", args=[guideline.slug]) in page
    ngo = client_for("ngo")
    assert ngo.get(compare, {"from": "2", "to": "2"}).status_code == 404
    assert "Version 1 and version 2" in _page(client_for, "secretariat", compare)
