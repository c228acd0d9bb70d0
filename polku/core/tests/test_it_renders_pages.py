"""The page frame: landmarks, navigation per role, language switcher, CSP nonces, errors."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.core import views
from polku.core.tests.html import Page, parse, text, with_class

TEST_URLCONF = "polku.core.tests.urls"


def nav_labels(response: Page) -> list[str]:
    return [text(link) for link in with_class(parse(response), "govuk-service-navigation__link")]


@pytest.mark.django_db
def test_it_renders_the_frame_for_anonymous_visitors(client: Client) -> None:
    """An anonymous visitor gets the skip link, the Polku home link, a sign-in link, no menu."""
    response = client.get("/")
    assert response.status_code == 200
    elements = parse(response)
    skip = with_class(elements, "govuk-skip-link")
    assert len(skip) == 1 and skip[0].attrs["href"] == "#main-content"
    main = [element for element in elements if element.tag == "main"]
    assert len(main) == 1 and main[0].attrs["id"] == "main-content"
    home_link = with_class(elements, "govuk-generic-header__homepage-link")
    assert home_link[0].attrs["href"] == "/" and text(home_link[0]) == "Polku"
    sign_in = [
        e for e in elements if e.tag == "a" and e.attrs.get("href") == reverse("accounts:login")
    ]
    assert [text(link) for link in sign_in] == ["Sign in", "Sign in"]  # header and start button
    assert nav_labels(response) == []
    assert [e.tag for e in elements].count("footer") == 1


@pytest.mark.django_db
def test_it_links_the_footer_to_statistics_api_documentation_and_the_health_check(
    client: Client,
) -> None:
    """The footer links to the published statistics, /api/v1/docs and the health check."""
    footer_links = with_class(parse(client.get("/")), "govuk-footer__link")
    assert [link.attrs["href"] for link in footer_links] == [
        reverse("reporting:public_statistics"),
        "/api/v1/docs",
        reverse("healthz"),
    ]


@pytest.mark.django_db
def test_it_offers_three_languages_each_in_its_own_language(client: Client) -> None:
    """The switcher posts `language` and `next` to set_language; each language in itself."""
    response = client.get("/?q=police")
    elements = parse(response)
    forms = [
        e
        for e in elements
        if e.tag == "form" and e.attrs.get("action") == reverse("accounts:set_language")
    ]
    assert len(forms) == 1 and forms[0].attrs["method"] == "post"
    inputs = {
        e.attrs["name"]: e.attrs["value"]
        for e in elements
        if e.tag == "input" and "name" in e.attrs
    }
    assert inputs["next"] == "/?q=police"
    assert "csrfmiddlewaretoken" in inputs
    current = with_class(elements, "govuk-language-navigation__text")
    assert [(e.attrs["lang"], e.attrs["aria-current"], text(e)) for e in current] == [
        ("en", "true", "English")
    ]
    buttons = [e for e in elements if e.tag == "button" and e.attrs.get("name") == "language"]
    assert [(e.attrs["value"], e.attrs["lang"], e.attrs["type"], text(e)) for e in buttons] == [
        ("fi", "fi", "submit", "Suomi"),
        ("sv", "sv", "submit", "Svenska"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "html_lang", "current"), [("fi", "fi", "Suomi"), ("sv", "sv", "Svenska")]
)
def test_it_sets_html_lang_from_the_active_language(
    client: Client, language: str, html_lang: str, current: str
) -> None:
    """<html lang> and the switcher's current language follow the language cookie."""
    client.cookies["polku_language"] = language
    elements = parse(client.get("/"))
    html = next(e for e in elements if e.tag == "html")
    assert html.attrs["lang"] == html_lang
    assert [text(e) for e in with_class(elements, "govuk-language-navigation__text")] == [current]


@pytest.mark.django_db
def test_it_switches_language_with_the_switcher_form(client: Client) -> None:
    """Posting the switcher's fields changes the language and returns to the same page."""
    response = client.post(reverse("accounts:set_language"), {"language": "sv", "next": "/?q=x"})
    assert response.status_code == 302 and response["Location"] == "/?q=x"
    html = next(e for e in parse(client.get("/")) if e.tag == "html")
    assert html.attrs["lang"] == "sv"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "practitioner"])
def test_it_puts_the_csp_nonce_on_every_script(client_for: ClientFor, persona: str) -> None:
    """Every <script> carries the nonce the CSP header allows; there are no inline styles."""
    response = client_for(persona).get("/")
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match is not None
    scripts = [e for e in parse(response) if e.tag == "script"]
    assert len(scripts) >= 3
    assert all(script.attrs.get("nonce") == match.group(1) for script in scripts)
    module_scripts = [s for s in scripts if s.attrs.get("type") == "module"]
    assert any("initAll()" in s.text for s in module_scripts)
    assert not [e for e in parse(response) if "style" in e.attrs]
    assert b"<style" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "coordinator",
            [
                "Challenges",
                "Inbox",
                "Meetings",
                "Guidelines",
                "Statistics",
                "Directory",
            ],
        ),
        (
            "secretariat",
            [
                "Challenges",
                "Inbox",
                "Meetings",
                "Guidelines",
                "Statistics",
                "Directory",
            ],
        ),
        ("admin", ["Challenges", "Meetings", "Guidelines", "Statistics", "Directory"]),
        ("dataprovider", ["Challenges", "Meetings", "Guidelines", "Statistics", "Directory"]),
        ("practitioner", ["Challenges", "Meetings", "Guidelines", "Annual reports", "Directory"]),
        (
            "rapporteur",
            ["Challenges", "Dashboard", "Meetings", "Guidelines", "Statistics", "Directory"],
        ),
        (
            "decisionmaker",
            ["Challenges", "Dashboard", "Meetings", "Guidelines", "Annual reports", "Directory"],
        ),
        ("outsider", []),
    ],
)
def test_it_shows_the_navigation_each_role_allows(
    client_for: ClientFor, persona: str, expected: list[str]
) -> None:
    """The service navigation lists what the signed-in person's roles allow, and nothing more."""
    assert nav_labels(client_for(persona).get("/")) == expected


@pytest.mark.django_db
def test_it_marks_the_current_page_in_the_navigation(client_for: ClientFor) -> None:
    """On a section's own page its item is current with aria-current="page"; home has none."""
    elements = parse(client_for("coordinator").get("/meetings/"))
    current = [
        e
        for e in with_class(elements, "govuk-service-navigation__link")
        if "aria-current" in e.attrs
    ]
    assert [(text(e), e.attrs["aria-current"]) for e in current] == [("Meetings", "page")]
    home = parse(client_for("coordinator").get("/"))
    assert with_class(home, "govuk-service-navigation__item--active") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/voice/", "Challenges"),
        ("/voice/inbox/", "Inbox"),
        ("/meetings/actions/mine/", "Meetings"),
        ("/guidelines/work/", "Guidelines"),
        ("/statistics/estimates/", "Statistics"),
        ("/statistics/returns/", "Statistics"),
        ("/reports/tables/", "Statistics"),
        ("/actors/bodies/", "Directory"),
        ("/directory/", "Directory"),
    ],
)
def test_it_marks_the_section_of_the_current_page(
    client_for: ClientFor, path: str, current: str
) -> None:
    """Exactly one item is current: the section the page belongs to, the longest match."""
    elements = parse(client_for("coordinator").get(path))
    active_items = with_class(elements, "govuk-service-navigation__item--active")
    assert [text(item) for item in active_items] == [current]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", [("Administration", "/administration/")]),
        ("admin", [("Administration", "/administration/")]),
        ("dataprovider", [("API tokens", "/api-tokens/")]),
        ("practitioner", []),
        ("rapporteur", []),
    ],
)
def test_it_puts_administration_among_the_account_links(
    client_for: ClientFor, persona: str, expected: list[tuple[str, str]]
) -> None:
    """Administration sits in the header, beside the person's name, so the menu stays short."""
    links = with_class(parse(client_for(persona).get("/")), "polku-header__account-link")
    named = [(text(link), link.attrs["href"]) for link in links]
    assert [link for link in named if link[1] in {"/administration/", "/api-tokens/"}] == expected


@pytest.mark.django_db
def test_it_marks_administration_current_on_its_pages(client_for: ClientFor) -> None:
    elements = parse(client_for("coordinator").get("/audit/"))
    current = [
        e for e in with_class(elements, "polku-header__account-link") if "aria-current" in e.attrs
    ]
    assert [(text(e), e.attrs["aria-current"]) for e in current] == [("Administration", "true")]
    assert with_class(elements, "govuk-service-navigation__item--active") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "path", "cards"),
    [
        ("coordinator", "/directory/", ["Organisations", "Bodies", "People"]),
        ("practitioner", "/directory/", ["Organisations", "Bodies", "People"]),
        ("coordinator", "/administration/", ["API tokens", "Audit log"]),
        ("admin", "/administration/", ["API tokens", "Audit log"]),
        ("dataprovider", "/administration/", ["API tokens"]),
        (
            "secretariat",
            "/statistics/",
            [
                "Returns",
                "Estimates",
                "National tables",
                "Reporting templates",
                "Indicators",
                "Annual reports",
            ],
        ),
        ("admin", "/statistics/", ["Indicators", "Annual reports"]),
        (
            "rapporteur",
            "/statistics/",
            ["Estimates", "National tables", "Reporting templates", "Annual reports"],
        ),
        ("dataprovider", "/statistics/", ["Returns", "Estimates", "Annual reports"]),
    ],
)
def test_it_lands_on_a_card_for_each_page_of_a_section(
    client_for: ClientFor, persona: str, path: str, cards: list[str]
) -> None:
    """A section with several pages has a landing page with a card for each."""
    response = client_for(persona).get(path)
    assert response.status_code == 200
    assert [text(e) for e in with_class(parse(response), "polku-card__link")] == cards


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("practitioner", "/administration/", 404),
        ("outsider", "/directory/", 404),
        ("outsider", "/statistics/", 404),
        ("anonymous", "/directory/", 302),
    ],
)
def test_it_refuses_a_section_with_nothing_for_the_reader(
    client_for: ClientFor, persona: str, path: str, status: int
) -> None:
    """No landing page for someone who may open none of its pages; anonymous sign in first."""
    assert client_for(persona).get(path).status_code == status


@pytest.mark.django_db
def test_it_shows_the_signed_in_persons_name_and_a_sign_out_form(
    client_for: ClientFor, personas: Personas
) -> None:
    """A signed-in person sees their name linking to their profile and a POST sign-out button."""
    personas.coordinator.first_name = "Aino"
    personas.coordinator.last_name = "Virta"
    personas.coordinator.save()
    response = client_for("coordinator").get("/")
    elements = parse(response)
    account = with_class(elements, "polku-header__account-link")
    assert [(e.attrs["href"], text(e)) for e in account] == [
        (reverse("accounts:profile"), "Aino Virta"),
        (reverse("core:administration"), "Administration"),
        (reverse("notifications:notification_list"), "Notifications"),
    ]
    forms = [
        e
        for e in elements
        if e.tag == "form" and e.attrs.get("action") == reverse("accounts:logout")
    ]
    assert len(forms) == 1 and forms[0].attrs["method"] == "post"
    assert "Sign out" in text(forms[0])
    assert (
        "csrfmiddlewaretoken"
        in response.content.decode().split(reverse("accounts:logout"))[1][:400]
    )
    assert not [
        e for e in elements if e.tag == "a" and e.attrs.get("href") == reverse("accounts:login")
    ]


@pytest.mark.django_db
def test_it_titles_pages_with_the_service_name(client: Client) -> None:
    """A page's title block is rendered as "<title> \u2013 Polku" (with an en dash)."""
    response = client.get("/no-such-page/")
    assert "<title>Page not found \u2013 Polku</title>" in response.content.decode()


@pytest.mark.django_db
def test_it_uses_the_custom_404_page(client: Client) -> None:
    """An unknown address answers 404 with Polku's page and a way home."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    elements = parse(response)
    assert [text(e) for e in elements if e.tag == "h1"] == ["Page not found"]
    assert any(
        e.tag == "a" and e.attrs.get("href") == "/" and "home page" in text(e) for e in elements
    )


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLCONF)
def test_it_uses_the_custom_403_page(client_for: ClientFor) -> None:
    """PermissionDenied answers 403 with Polku's page, inside the usual frame."""
    response = client_for("practitioner").get("/test/forbidden/")
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    elements = parse(response)
    assert [text(e) for e in elements if e.tag == "h1"] == ["You cannot see this page"]
    assert nav_labels(response) == [
        "Challenges",
        "Meetings",
        "Guidelines",
        "Annual reports",
        "Directory",
    ]


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLCONF)
def test_it_uses_the_custom_500_page(client: Client) -> None:
    """An unhandled error answers 500 with Polku's self-contained page."""
    client.raise_request_exception = False
    response = client.get("/test/broken/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content
    assert 'href="/static/polku/css/polku.min.css"' in content


def test_it_renders_the_500_page_without_session_user_or_database() -> None:
    """The 500 page needs nothing from the request, so a failing session or database cannot
    break it."""
    request = RequestFactory().get("/")  # no session, no user, no CSP nonce, no database access
    response = views.server_error(request)
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"<script" not in response.content


@pytest.mark.django_db
def test_it_translates_the_error_pages(client: Client) -> None:
    """Error pages speak the visitor's language."""
    client.cookies["polku_language"] = "fi"
    response = client.get("/no-such-page/")
    html = next(e for e in parse(response) if e.tag == "html")
    assert html.attrs["lang"] == "fi"


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLCONF)
def test_it_shows_messages_as_notification_banners(client_for: ClientFor) -> None:
    """Django messages appear as GOV.UK notification banners; success ones are announced."""
    elements = parse(client_for("coordinator").get("/test/messages/"))
    banners = with_class(elements, "govuk-notification-banner")
    assert len(banners) == 3
    success = with_class(banners, "govuk-notification-banner--success")
    assert len(success) == 1 and success[0].attrs["role"] == "alert"
    assert "Organisation saved." in text(success[0])
    others = [b for b in banners if b not in success]
    assert [b.attrs["role"] for b in others] == ["region", "region"]
    titles = [text(e) for e in with_class(elements, "govuk-notification-banner__title")]
    assert titles == ["Success", "There is a problem", "Important"]
    ids = [e.attrs["id"] for e in with_class(elements, "govuk-notification-banner__title")]
    assert len(set(ids)) == 3
    assert [b.attrs["aria-labelledby"] for b in banners] == ids
