"""The pages: the library's search, filters, pagination and empty state; the guideline page
with a "Comment on this paragraph" link under each paragraph that works without JavaScript;
the answers, report, comparison, print and PDF pages; and no script from the text."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Comment, Consultation, Guideline
from polku.guidelines.tests.factories import make_comment, make_consultation, make_guideline
from polku.guidelines.tests.test_it_renders_markdown_safely import PAYLOADS
from polku.voice.tests.factories import exploitation_form, make_challenge, sector

S = GuidelineStatus


def test_the_library_searches_and_filters_published_guidelines(
    personas: Personas, client_for: ClientFor
) -> None:
    """Search reaches titles and texts; filters by audience, sector and form; drafts never show."""
    labour = make_guideline(
        organisation=personas.interior,
        status=S.PUBLISHED,
        title="Inspecting berry farms",
        audiences=("labour_inspectors",),
        categories=(sector("labour_inspection"), exploitation_form("forced_labour")),
        body="Check the recruitment debts of the pickers.",
    )
    sexual = make_guideline(
        organisation=personas.justice,
        status=S.PUBLISHED,
        title="Outreach in massage parlours",
        audiences=("ngos", "police"),
        categories=(sector("ngos"), exploitation_form("sexual_exploitation")),
    )
    make_guideline(organisation=personas.interior, status=S.APPROVED, title="Secret draft")
    client = client_for("anonymous")
    url = reverse("guidelines:library")

    def titles(**query: str) -> set[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {
            title
            for title in ("Inspecting berry farms", "Outreach in massage parlours", "Secret draft")
            if title in response.content.decode()
        }

    assert titles() == {labour.title, sexual.title}
    assert titles(q="recruitment debts") == {labour.title}
    assert titles(audience="police") == {sexual.title}
    assert titles(sector="labour_inspection") == {labour.title}
    assert titles(form="sexual_exploitation") == {sexual.title}
    empty = client.get(url, {"q": "nothing like this"})
    assert "No published guidelines match these filters." in empty.content.decode()


def test_the_library_pages_and_says_when_nothing_is_published(
    personas: Personas, client_for: ClientFor, settings: object
) -> None:
    client = client_for("anonymous")
    response = client.get(reverse("guidelines:library"))
    assert "No guidelines have been published yet." in response.content.decode()
    for index in range(3):
        make_guideline(organisation=personas.interior, status=S.PUBLISHED, title=f"Guide {index}")
    settings.POLKU_PAGE_SIZE = 2  # type: ignore[attr-defined]
    first = client.get(reverse("guidelines:library")).content.decode()
    second = client.get(reverse("guidelines:library"), {"page": 2}).content.decode()
    assert 'class="govuk-pagination"' in first
    assert sum(f"Guide {index}" in first for index in range(3)) == 2
    assert sum(f"Guide {index}" in second for index in range(3)) == 1


@pytest.fixture
def consulted(personas: Personas) -> Consultation:
    guideline = make_guideline(organisation=personas.interior, status=S.CONSULTATION)
    return make_consultation(
        guideline=guideline, organisations=(personas.ngo_org,), opened_by=personas.secretariat
    )


def test_each_paragraph_has_a_comment_link_that_works_without_javascript(
    personas: Personas, client_for: ClientFor, consulted: Consultation
) -> None:
    """Follow the link, read the paragraph, write the comment and a proposal, send: it is kept."""
    client = client_for("ngo")
    guideline = consulted.guideline
    page = client.get(guideline.get_absolute_url()).content.decode()
    paragraphs = consulted.version.texts.get(language="en").paragraphs
    links = re.findall(r'href="([^"]*comment/\?language=en&amp;paragraph=(p[0-9a-f]+))"', page)
    assert [paragraph_id for _href, paragraph_id in links] == [item["id"] for item in paragraphs]
    assert page.count(">Comment on this paragraph<span") == len(paragraphs)
    href = links[2][0].replace("&amp;", "&")
    form_page = client.get(href).content.decode()
    assert "Comment on paragraph 3" in form_page
    assert "Ask open questions in a quiet place" in form_page
    response = client.post(
        href.split("?")[0],
        {
            "language": "en",
            "paragraph": paragraphs[2]["id"],
            "body": "Add that the interpreter must not know the person.",
            "proposed_text": "Ask open questions in a quiet place, with an independent interpreter.",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.paragraph_id == paragraphs[2]["id"]
    assert comment.paragraph_position == 3
    assert response["Location"].endswith(f"#{comment.paragraph_id}")
    round_page = client.get(consulted.get_absolute_url()).content.decode()
    assert "independent interpreter" in round_page
    refused = client.post(href.split("?")[0], {"language": "en", "body": " "})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert Comment.objects.count() == 1


def test_the_uninvited_see_no_comment_links(
    personas: Personas, client_for: ClientFor, consulted: Consultation
) -> None:
    page = client_for("secretariat").get(consulted.guideline.get_absolute_url()).content.decode()
    assert "Comment on this paragraph" not in page


def test_the_drafter_answers_on_the_answers_page_and_the_report_shows_it(
    personas: Personas, client_for: ClientFor, consulted: Consultation
) -> None:
    comment = make_comment(
        consultation=consulted, author=personas.ngo, organisation=personas.ngo_org, paragraph=1
    )
    Consultation.objects.filter(pk=consulted.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    client = client_for("secretariat")
    slug = consulted.guideline.slug
    answers = reverse("guidelines:consultation_answers", args=[slug, consulted.pk])
    assert "0 of 1 comment answered" in client.get(answers).content.decode()
    url = reverse("guidelines:comment_answer", args=[slug, consulted.pk, comment.pk])
    refused = client.post(url, {f"c{comment.pk}-response": "not_accepted"})
    assert refused.status_code == 200
    assert "Say why the comment is not accepted in full." in refused.content.decode()
    done = client.post(
        url, {f"c{comment.pk}-response": "partly", f"c{comment.pk}-reason": "Half of it."}
    )
    assert done.status_code == 302
    report = client.get(
        reverse("guidelines:consultation_report", args=[slug, consulted.pk])
    ).content.decode()
    assert "Partly accepted" in report
    assert "Half of it." in report
    assert "Paragraph 2" in report
    assert "Publish the report with the guideline" in report


def test_the_public_report_names_organisations_not_people(
    personas: Personas, client_for: ClientFor
) -> None:
    guideline = make_guideline(organisation=personas.interior, status=S.PUBLISHED)
    consultation = make_consultation(
        guideline=guideline, organisations=(personas.ngo_org,), days_left=-3
    )
    make_comment(
        consultation=consultation,
        author=personas.ngo,
        organisation=personas.ngo_org,
        response="accepted",
    )
    Consultation.objects.filter(pk=consultation.pk).update(report_published_at=timezone.now())
    url = reverse("guidelines:consultation_report", args=[guideline.slug, consultation.pk])
    public = client_for("anonymous").get(url).content.decode()
    assert "Victim Support NGO" in public
    assert str(personas.ngo) not in public
    assert str(personas.ngo) in client_for("secretariat").get(url).content.decode()
    page = client_for("anonymous").get(guideline.get_absolute_url()).content.decode()
    assert url in page


def test_the_comparison_page_shows_two_versions_side_by_side(
    personas: Personas, client_for: ClientFor
) -> None:
    from polku.guidelines import services

    guideline = make_guideline(organisation=personas.interior, status=S.DRAFT)
    services.guideline_save_text(
        actor=personas.secretariat,
        guideline=guideline,
        language="en",
        title=guideline.title,
        body="A brand new first paragraph.\n\n" + guideline.current_version.texts.get().body,  # type: ignore[union-attr]
    )
    client = client_for("secretariat")
    versions = client.get(reverse("guidelines:guideline_versions", args=[guideline.slug]))
    assert "Every version kept" in versions.content.decode()
    page = client.get(
        reverse("guidelines:guideline_diff", args=[guideline.slug]),
        {"from": "1", "to": "2", "language": "en"},
    ).content.decode()
    assert "<ins>A brand new first paragraph.</ins>" in page
    assert "Paragraphs added: 1, removed: 0, changed: 0." in page


def test_the_print_page_and_the_pdf_serve_the_published_text(
    personas: Personas, client_for: ClientFor
) -> None:
    guideline = make_guideline(
        organisation=personas.interior,
        status=S.PUBLISHED,
        extra_languages={"sv": ("Identifiering av offer", "Ställ öppna frågor.")},
    )
    client = client_for("anonymous")
    printed = client.get(reverse("guidelines:guideline_print", args=[guideline.slug, "sv"]))
    assert "Identifiering av offer" in printed.content.decode()
    assert 'lang="sv"' in printed.content.decode()
    pdf = client.get(reverse("guidelines:guideline_pdf", args=[guideline.slug, "sv"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert (
        client.get(reverse("guidelines:guideline_pdf", args=[guideline.slug, "fi"])).status_code
        == 404
    )


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.javascript_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "nonce" for name, _value in attrs):
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript"):
                self.javascript_links.append(value or "")


@pytest.mark.parametrize("persona", ["anonymous", "secretariat", "ngo"])
def test_no_payload_in_the_text_reaches_any_page(
    personas: Personas, client_for: ClientFor, persona: str
) -> None:
    """The known payloads, written into a published text, a proposal and a comment."""
    body = "\n\n".join(PAYLOADS)
    guideline = make_guideline(
        organisation=personas.interior, status=S.PUBLISHED, body=body, title="Payloads"
    )
    consultation = make_consultation(
        guideline=guideline, organisations=(personas.ngo_org,), days_left=-1
    )
    make_comment(
        consultation=consultation,
        author=personas.ngo,
        organisation=personas.ngo_org,
        body=PAYLOADS[0],
        proposed_text=PAYLOADS[2],
        response="not_accepted",
        response_reason=PAYLOADS[4],
    )
    Consultation.objects.filter(pk=consultation.pk).update(report_published_at=timezone.now())
    client = client_for(persona)
    urls = [
        guideline.get_absolute_url(),
        reverse("guidelines:guideline_print", args=[guideline.slug, "en"]),
        reverse("guidelines:consultation_report", args=[guideline.slug, consultation.pk]),
    ]
    if persona != "anonymous":
        urls.append(consultation.get_absolute_url())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = _Scripts()
        found.feed(response.content.decode())
        assert found.scripts == 0, url
        assert found.handlers == [], url
        assert found.javascript_links == [], url


def test_a_published_guideline_keeps_its_address_and_links_its_challenges(
    personas: Personas, client_for: ClientFor
) -> None:
    challenge = make_challenge(submitted_by=personas.practitioner, status="acknowledged")
    guideline = make_guideline(
        organisation=personas.interior, status=S.APPROVED, challenges=(challenge,)
    )
    address = guideline.get_absolute_url()
    response = client_for("secretariat").post(
        reverse("guidelines:guideline_publish", args=[guideline.slug])
    )
    assert response["Location"] == address
    assert Guideline.objects.get(pk=guideline.pk).get_absolute_url() == address
    challenge_page = client_for("practitioner").get(challenge.get_absolute_url()).content.decode()
    assert address in challenge_page
