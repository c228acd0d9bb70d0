"""A secretary drafts a guideline linked to a challenge and opens a consultation; an NGO worker
and a police officer comment on paragraphs; the secretary answers, revises, records the
approval and publishes; the practitioner who raised the challenge is told. axe-core checks
every page on the way."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from conftest import Personas
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Comment, Guideline
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.tests.factories import make_challenge
from tests.browser.fixtures import CheckedPage, sign_in, sign_out

pytestmark = pytest.mark.browser


BODY = """## Purpose

This guideline tells first responders how to recognise a presumed victim of trafficking.

Talk with the person alone, with a professional interpreter.

Refer the person to the assistance system without waiting for a crime report."""


def _typologies() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies back the way their migration writes them.
    migration = importlib.import_module("polku.taxonomy.migrations.0002_first_versions")
    migration.create(apps, None)


def _comment(
    page: CheckedPage, guideline_url: str, paragraph: int, body: str, proposal: str
) -> None:
    page.visit(guideline_url)
    page.get_by_role("link", name=f"Comment on this paragraph (paragraph {paragraph})").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Comment on paragraph {paragraph}")
    page.get_by_label("Your comment").fill(body)
    page.get_by_label("Proposed text (optional)").fill(proposal)
    page.get_by_role("button", name="Send the comment").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your comment is saved")
    expect(page.locator("main")).to_contain_text(proposal)


def test_it_drafts_consults_on_and_publishes_a_guideline(
    checked_page: CheckedPage, personas: Personas
) -> None:
    _typologies()
    challenge = make_challenge(
        submitted_by=personas.practitioner,
        status=ChallengeStatus.ACKNOWLEDGED,
        title="Victims are not referred without a crime report",
    )
    page = checked_page

    # The secretary drafts the guideline and links it to the challenge.
    sign_in(page, personas.secretariat)
    page.visit("/guidelines/")
    expect(page.locator("main")).to_contain_text("No guidelines have been published yet.")
    page.get_by_role("link", name="Draft a guideline").click()
    page.check()
    page.get_by_label("Title").fill("Referring presumed victims to assistance")
    page.get_by_label("Text", exact=True).fill(BODY)
    page.get_by_label("Scope (optional)").fill("Everyone who meets a presumed victim at work.")
    page.get_by_label("Responsible organisation").select_option(label="Ministry of the Interior")
    audience = page.get_by_role("group", name="Audience")
    audience.get_by_label("All first responders").check()
    audience.get_by_label("Police").check()
    page.get_by_role("group", name=re.compile("^Sectors")).get_by_label("Police").check()
    page.get_by_label(re.compile("^Challenges it addresses")).fill(str(challenge.reference))
    page.get_by_role("button", name="Save the draft").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referring presumed victims to assistance"
    )
    guideline_url = page.url.replace(page.base_url, "").split("?")[0]

    page.get_by_role("link", name="Open a consultation").click()
    page.check()
    deadline = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Comments by").fill(deadline.isoformat())
    invited = page.get_by_role("group", name=re.compile("^Organisations"))
    invited.get_by_label("Victim Support NGO").check()
    invited.get_by_label("National Police Board").check()
    page.get_by_role("button", name="Open the consultation").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation round 1")
    sign_out(page)

    # The NGO worker and the police officer comment on paragraphs, with proposals.
    sign_in(page, personas.ngo)
    _comment(
        page,
        guideline_url,
        3,
        "Say that the interpreter must not know the person.",
        "Talk with the person alone, with a professional interpreter who does not know them.",
    )
    sign_out(page)
    sign_in(page, personas.practitioner)
    _comment(
        page,
        guideline_url,
        4,
        "Say that help does not depend on cooperating with the police.",
        "Refer the person to the assistance system without waiting for a crime report; "
        "help does not depend on cooperating with the police.",
    )
    sign_out(page)
    assert Comment.objects.count() == 2

    # The secretary closes the round, answers every comment and revises.
    sign_in(page, personas.secretariat)
    page.visit(guideline_url)
    page.get_by_role("link", name="See the consultation").click()
    page.check()
    page.get_by_role("link", name="Close the consultation now").click()
    page.check()
    page.get_by_role("button", name="Close the consultation").click()
    page.check()
    page.get_by_role("link", name="Answer the comments").click()
    page.check()
    for index, (response, reason) in enumerate(
        [("Accepted", ""), ("Partly accepted", "The police part is kept short.")]
    ):
        answer = (
            page.locator("form")
            .filter(has=page.get_by_role("button", name=re.compile("^Save the answer")))
            .nth(index)
        )
        answer.get_by_label(response, exact=True).check()
        if reason:
            answer.get_by_label("Reason (optional)").fill(reason)
        answer.get_by_role("button", name=re.compile("^Save the answer")).click()
        page.check()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Answer saved.")
    expect(page.locator("main")).to_contain_text("2 of 2 comments answered.")
    page.get_by_role("link", name="See the consultation report").click()
    page.check()
    expect(page.locator("main")).to_contain_text("Partly accepted")
    page.get_by_role("button", name="Publish the report with the guideline").click()
    page.check()

    page.visit(guideline_url)
    page.get_by_role("link", name="Start revising").click()
    page.check()
    page.get_by_role("button", name="Start revising").click()
    page.check()
    page.get_by_role("link", name=re.compile("^Edit the text")).click()
    page.check()
    page.get_by_label("Text", exact=True).fill(
        BODY.replace(
            "professional interpreter.", "professional interpreter who does not know them."
        )
    )
    page.get_by_label("What changed (optional)").fill("Answers to the consultation")
    page.get_by_role("button", name="Save as a new version").click()
    page.check()
    page.get_by_role("link", name="All versions and comparisons").click()
    page.check()
    page.get_by_role("button", name="Compare").click()
    page.check()
    expect(page.locator("ins").first).to_contain_text("who does not know them.")

    # Approval is recorded as the secretariat's, and the guideline is published.
    page.visit(guideline_url)
    page.get_by_role("link", name="Record the approval").click()
    page.check()
    page.get_by_label("Approved on").fill(timezone.localdate().isoformat())
    page.get_by_label("Approved by").select_option(label="Anti-trafficking secretariat")
    page.get_by_role("button", name="Record approval").click()
    page.check()
    page.get_by_role("link", name="Publish", exact=True).click()
    page.check()
    page.get_by_role("button", name="Publish").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The guideline is published."
    )
    guideline = Guideline.objects.get()
    assert guideline.status == GuidelineStatus.PUBLISHED
    assert guideline.approved_by_body == personas.secretariat_body
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.ADDRESSED
    page.get_by_role("link", name="Print").click()
    page.check()
    expect(page.locator("main")).to_contain_text("who does not know them")
    _sign_out_from_print(page, guideline_url)

    # The practitioner who raised the challenge is told, and finds the guideline.
    sign_in(page, personas.practitioner)
    header = page.get_by_role("navigation", name="Your account")
    header.get_by_role("link", name=re.compile(r"^Notifications \(")).click()
    page.check()
    news = page.locator("main")
    expect(news).to_contain_text(f"{challenge.reference}: an outcome was recorded")
    news.get_by_role("link", name=f"{challenge.reference}: an outcome was recorded").click()
    page.check()
    expect(page.locator("main")).to_contain_text("Referring presumed victims to assistance")
    page.get_by_role("link", name="Referring presumed victims to assistance").first.click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referring presumed victims to assistance"
    )
    page.visit("/guidelines/")
    expect(page.locator("main")).to_contain_text("1 guideline")
    assert len(page.checked) >= 30


def _sign_out_from_print(page: CheckedPage, guideline_url: str) -> None:
    # The print page has no header; go back to a page that has.
    page.visit(guideline_url)
    sign_out(page)
