"""Publication: the guideline reports back to every challenge it addresses (whose submitters
are told), subscribers are told of every change, and each language has a tagged PDF with the
title and every paragraph."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import Personas
from polku.guidelines import services
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.markdown import plain_text
from polku.guidelines.models import GuidelineText
from polku.guidelines.pdf import guideline_pdf
from polku.guidelines.tests.factories import make_consultation, make_guideline
from polku.guidelines.tests.pdf_text import read_pdf
from polku.notifications.models import Notification
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Outcome
from polku.voice.tests.factories import make_challenge

S = GuidelineStatus

FINNISH = (
    "Ihmiskaupan uhrin tunnistaminen",
    "## Tarkoitus\n\nOhje kertoo, miten mahdollinen uhri tunnistetaan.\n\n"
    "Kysy avoimia kysymyksiä rauhallisessa paikassa, tarvittaessa tulkin avulla.\n\n"
    "- Ohjaa auttamisjärjestelmään\n- Älä odota rikosilmoitusta",
)


def _compact(text: str) -> str:
    return "".join(text.split())


def test_publishing_reports_to_every_linked_challenge(personas: Personas) -> None:
    """Each challenge gets a guideline outcome linking here; their submitters are notified."""
    first = make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.ON_AGENDA)
    second = make_challenge(submitted_by=personas.ngo, status=ChallengeStatus.ACKNOWLEDGED)
    protected = make_challenge(is_protected=True, status=ChallengeStatus.UNDER_CONSIDERATION)
    guideline = make_guideline(
        organisation=personas.interior,
        status=S.APPROVED,
        challenges=(first, second, protected),
        title="Referring victims to assistance",
    )
    services.guideline_publish(actor=personas.secretariat, guideline=guideline)
    outcomes = Outcome.objects.filter(kind="guideline", link_id=str(guideline.pk))
    assert {outcome.challenge_id for outcome in outcomes} == {first.pk, second.pk, protected.pk}
    for outcome in outcomes:
        assert outcome.url == guideline.get_absolute_url()
        assert "Referring victims to assistance" in outcome.text
        assert outcome.challenge.status == ChallengeStatus.ADDRESSED
    for submitter, challenge in ((personas.practitioner, first), (personas.ngo, second)):
        note = Notification.objects.get(recipient=submitter, target_id=str(challenge.pk))
        assert str(challenge.reference) in note.title


def test_subscribers_are_told_of_every_change(personas: Personas) -> None:
    """A new version, publication and superseding each reach the subscribers who may read the
    text, not the actor; the invitee of the closed round hears nothing of the later draft."""
    guideline = make_guideline(organisation=personas.interior, status=S.CONSULTATION)
    make_consultation(guideline=guideline, organisations=(personas.ngo_org,), days_left=-1)
    services.guideline_subscribe(actor=personas.ngo, guideline=guideline)
    services.guideline_subscribe(actor=personas.secretariat, guideline=guideline)
    services.guideline_subscribe(actor=personas.coordinator, guideline=guideline)
    services.guideline_revise(actor=personas.secretariat, guideline=guideline)
    services.guideline_save_text(
        actor=personas.secretariat,
        guideline=guideline,
        language="en",
        title=guideline.title,
        body="A new text.",
    )
    services.guideline_approve(
        actor=personas.secretariat, guideline=guideline, approved_on=timezone.localdate()
    )
    services.guideline_publish(actor=personas.secretariat, guideline=guideline)
    services.guideline_subscribe(actor=personas.practitioner, guideline=guideline)
    newer = make_guideline(organisation=personas.interior, status=S.PUBLISHED)
    services.guideline_supersede(actor=personas.coordinator, guideline=guideline, by=newer)
    ngo_news = list(
        Notification.objects.filter(recipient=personas.ngo, kind="guideline")
        .order_by("created_at", "pk")
        .values_list("title", flat=True)
    )
    # Version 2 and its approval were never put to the NGO's round: it hears of them only
    # once the text is published.
    assert len(ngo_news) == 3
    assert ngo_news[0] == f"The guideline “{guideline.title}” is now “Revised”"
    assert ngo_news[1] == f"The guideline “{guideline.title}” is published"
    assert "superseded by" in ngo_news[2]
    coordinator_news = list(
        Notification.objects.filter(recipient=personas.coordinator, kind="guideline")
        .order_by("created_at", "pk")
        .values_list("title", flat=True)
    )
    assert len(coordinator_news) == 4
    assert coordinator_news[0] == ngo_news[0]
    assert coordinator_news[1].startswith("New version 2 of the guideline")
    assert coordinator_news[2] == f"The guideline “{guideline.title}” is now “Approved”"
    assert coordinator_news[3] == ngo_news[1]
    practitioner_news = Notification.objects.filter(recipient=personas.practitioner)
    assert [note.title for note in practitioner_news] == [ngo_news[2]]
    assert practitioner_news.get().url == guideline.get_absolute_url()
    # The secretariat member made the changes: they are not told of their own.
    secretariat_news = Notification.objects.filter(recipient=personas.secretariat)
    assert [note.title for note in secretariat_news] == [ngo_news[2]]


def test_subscribing_twice_keeps_one_subscription(personas: Personas) -> None:
    guideline = make_guideline(organisation=personas.interior, status=S.PUBLISHED)
    services.guideline_subscribe(actor=personas.practitioner, guideline=guideline)
    services.guideline_subscribe(actor=personas.practitioner, guideline=guideline)
    assert guideline.subscriptions.count() == 1
    services.guideline_unsubscribe(actor=personas.practitioner, guideline=guideline)
    assert not guideline.subscriptions.exists()


@pytest.mark.parametrize("language", ["en", "fi"])
def test_each_language_has_a_tagged_pdf_with_the_title_and_every_paragraph(
    personas: Personas, language: str
) -> None:
    """PDF/UA-1: a structure tree, marked content, the language and the title are set."""
    guideline = make_guideline(
        organisation=personas.interior,
        status=S.PUBLISHED,
        extra_languages={"fi": FINNISH},
        approved_on=timezone.localdate() - timedelta(days=3),
    )
    assert guideline.published_version is not None
    text = GuidelineText.objects.get(version=guideline.published_version, language=language)
    pdf = guideline_pdf(guideline=guideline, text=text, uncompressed=True)
    assert pdf.startswith(b"%PDF-")
    read = read_pdf(pdf)
    assert read.has(b"/StructTreeRoot")
    assert read.has(b"/MarkInfo <</Marked true>>")
    assert read.has(f"/Lang ({language})".encode())
    assert read.has(b"pdfuaid:part")
    assert read.has(b"/DisplayDocTitle true")
    assert read.has(b"/S /H1")
    assert read.has(b"/S /H2")
    assert read.has(b"/S /L")
    plain = [item for item in text.paragraphs if item["text"][0] not in "#-"]
    assert read.count(b"/S /P") >= len(plain)
    assert read.has(f"/Title ({text.title})".encode()) or read.has(b"/Title <FEFF")
    words = _compact(read.text)
    assert _compact(text.title) in words
    for paragraph in text.paragraphs:
        assert _compact(plain_text(paragraph["text"])) in words, paragraph["text"]


def test_the_served_pdf_is_compressed_and_still_tagged(personas: Personas) -> None:
    guideline = make_guideline(organisation=personas.interior, status=S.PUBLISHED)
    assert guideline.published_version is not None
    text = GuidelineText.objects.get(version=guideline.published_version, language="en")
    pdf = guideline_pdf(guideline=guideline, text=text)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) < len(guideline_pdf(guideline=guideline, text=text, uncompressed=True))
