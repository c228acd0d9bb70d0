"""Every persona against every account page: who gets the page and who is sent to sign in."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor

pytestmark = pytest.mark.django_db

SIGNED_IN_ONLY = [
    "accounts:profile",
    "accounts:profile_edit",
    "accounts:mfa",
    "accounts:password_change",
    "accounts:password_change_done",
]
OPEN_TO_ALL = [
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
]


def signed_in_only(name: str) -> int:
    return 302 if name == "anonymous" else 200


PAGES: list[tuple[str, Callable[[str], int]]] = [
    *[(url_name, signed_in_only) for url_name in SIGNED_IN_ONLY],
    *[(url_name, lambda name: 200) for url_name in OPEN_TO_ALL],
    # The sign-out page confirms for people signed in; others have nothing to sign out of.
    ("accounts:logout", signed_in_only),
    # With no authenticator app yet, the change page leads to the set-up page.
    ("accounts:mfa_manage", lambda name: 302),
]


@pytest.mark.parametrize("name", PERSONA_NAMES)
@pytest.mark.parametrize(("url_name", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona(
    client_for: ClientFor, name: str, url_name: str, expected: Callable[[str], int]
) -> None:
    """Each persona gets the expected status for each account page."""
    response = client_for(name).get(reverse(url_name))
    assert response.status_code == expected(name)


@pytest.mark.parametrize("url_name", [*SIGNED_IN_ONLY, "accounts:mfa_manage"])
def test_it_sends_anonymous_visitors_to_sign_in(client_for: ClientFor, url_name: str) -> None:
    """Anonymous visitors are sent to the sign-in page, which brings them back afterwards."""
    response = client_for("anonymous").get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse(url_name)}"


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_it_shows_the_set_up_page_to_signed_in_people_without_an_app(
    client_for: ClientFor, name: str
) -> None:
    """The change page leads signed-in people without an app to the set-up page."""
    response = client_for(name).get(reverse("accounts:mfa_manage"))
    expected = reverse("accounts:mfa")
    if name == "anonymous":
        expected = f"{reverse('accounts:login')}?next={reverse('accounts:mfa_manage')}"
    assert response["Location"] == expected


@pytest.mark.parametrize("name", PERSONA_NAMES)
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_refuses_other_methods_on_the_profile(
    client_for: ClientFor, name: str, method: str
) -> None:
    """The profile answers GET only."""
    response = getattr(client_for(name), method)(reverse("accounts:profile"))
    assert response.status_code == (302 if name == "anonymous" else 405)
