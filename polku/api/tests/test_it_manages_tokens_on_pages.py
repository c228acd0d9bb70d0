"""The token pages: who may use them, the create-once flow, revocation and the list."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.api.models import ApiToken
from polku.api.tests.factories import make_token
from polku.audit.models import AuditEvent

MANAGERS = {"coordinator", "secretariat", "secretariat2", "dataprovider", "admin"}
EVERYWHERE = {"coordinator", "admin"}


def page_status(name: str, *, allowed: set[str], visible: set[str]) -> int:
    """Anonymous visitors sign in; the rest get 200, 403 if they may know of it, else 404."""
    if name == "anonymous":
        return 302
    if name in allowed:
        return 200
    if name in visible:
        return 403
    return 404


Url = Callable[[Personas], str]


def _revoke_url(organisation: str) -> Url:
    def url(personas: Personas) -> str:
        token, _ = make_token(organisation=getattr(personas, organisation))
        return reverse("api:token_revoke", args=[token.pk])

    return url


PAGES: list[tuple[str, Url, Callable[[str], int]]] = [
    (
        "token list",
        lambda p: reverse("api:token_list"),
        lambda n: page_status(n, allowed=MANAGERS, visible=set(PERSONA_NAMES) - MANAGERS),
    ),
    (
        "token create",
        lambda p: reverse("api:token_create"),
        lambda n: page_status(n, allowed=MANAGERS, visible=set(PERSONA_NAMES) - MANAGERS),
    ),
    (
        # The police's practitioner is a member of the token's organisation without the right.
        "revoke a police token",
        _revoke_url("police"),
        lambda n: page_status(n, allowed=EVERYWHERE, visible={"practitioner"}),
    ),
    (
        "revoke a justice ministry token",
        _revoke_url("justice"),
        lambda n: page_status(n, allowed=EVERYWHERE | {"secretariat"}, visible=set()),
    ),
    (
        "revoke a token that does not exist",
        lambda p: reverse("api:token_revoke", args=[999999]),
        lambda n: page_status(n, allowed=set(), visible=set()),
    ),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(("page", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_permission_matrix(
    personas: Personas,
    client_for: ClientFor,
    persona: str,
    page: str,
    url: Url,
    expected: Callable[[str], int],
) -> None:
    """Each persona gets 200, 302 (sign in), 403 or 404 on each token page."""
    response = client_for(persona).get(url(personas))
    assert response.status_code == expected(persona)


def test_the_list_shows_only_the_tokens_the_user_may_manage(
    personas: Personas, client_for: ClientFor
) -> None:
    """A secretariat member sees their own ministry's tokens; the coordinator sees all."""
    make_token(organisation=personas.justice, name="Justice feed")
    make_token(organisation=personas.police, name="Police feed")
    own = client_for("secretariat").get(reverse("api:token_list")).content.decode()
    assert "Justice feed" in own
    assert "Police feed" not in own
    everything = client_for("coordinator").get(reverse("api:token_list")).content.decode()
    assert "Justice feed" in everything
    assert "Police feed" in everything


def test_the_list_shows_each_token_status(personas: Personas, client_for: ClientFor) -> None:
    """Active, expired and revoked tokens are told apart; only live ones offer revocation."""
    active, _ = make_token(organisation=personas.police, name="Live feed")
    expired, _ = make_token(
        organisation=personas.police,
        name="Old feed",
        expires_at=timezone.now() - timedelta(days=1),
    )
    revoked, _ = make_token(organisation=personas.police, name="Dead feed", revoked=True)
    html = client_for("coordinator").get(reverse("api:token_list")).content.decode()
    assert "govuk-tag--green" in html
    assert "govuk-tag--grey" in html
    assert "govuk-tag--red" in html
    assert reverse("api:token_revoke", args=[active.pk]) in html
    assert reverse("api:token_revoke", args=[expired.pk]) in html
    assert reverse("api:token_revoke", args=[revoked.pk]) not in html
    assert active.prefix in html


def test_the_list_filters_by_organisation(personas: Personas, client_for: ClientFor) -> None:
    """Choosing an organisation shows only its tokens."""
    make_token(organisation=personas.justice, name="Justice feed")
    make_token(organisation=personas.police, name="Police feed")
    response = client_for("coordinator").get(
        reverse("api:token_list"), {"organisation": personas.police.pk}
    )
    html = response.content.decode()
    assert "Police feed" in html
    assert "Justice feed" not in html


def test_the_filter_offers_only_manageable_organisations(
    personas: Personas, client_for: ClientFor
) -> None:
    """Another organisation cannot be chosen: the filter says so and the list stays scoped."""
    make_token(organisation=personas.justice, name="Justice feed")
    make_token(organisation=personas.police, name="Police feed")
    response = client_for("secretariat").get(
        reverse("api:token_list"), {"organisation": personas.police.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Police feed" not in html
    assert f'value="{personas.police.pk}"' not in html


def test_it_shows_the_new_token_once(personas: Personas, client_for: ClientFor) -> None:
    """The plaintext appears on the page after creation, and never again anywhere."""
    client = client_for("secretariat")
    response = client.post(
        reverse("api:token_create"),
        {
            "organisation": personas.justice.pk,
            "name": "Statistics feed",
            "scopes": ["organisations:read"],
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    html = response.content.decode()
    match = next(word for word in html.split('"') if word.startswith(f"polku_{token.prefix}_"))
    assert "will not be shown again" in html
    assert token.organisation == personas.justice
    assert token.created_by == personas.secretariat
    assert token.scopes == ["organisations:read"]
    assert token.last_valid_day == timezone.localdate() + timedelta(days=30)
    secret = match.rsplit("_", 1)[1]
    for url in (
        reverse("api:token_list"),
        reverse("api:token_revoke", args=[token.pk]),
        reverse("api:token_create"),
    ):
        assert secret not in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="api.token.issue").count() == 1


def test_the_create_form_offers_only_manageable_organisations(
    personas: Personas, client_for: ClientFor
) -> None:
    """A secretariat member cannot issue a token for another ministry by posting its id."""
    client = client_for("secretariat")
    form = client.get(reverse("api:token_create")).content.decode()
    assert f'value="{personas.justice.pk}"' in form
    assert f'value="{personas.social_affairs.pk}"' not in form
    response = client.post(
        reverse("api:token_create"),
        {
            "organisation": personas.social_affairs.pk,
            "name": "Sneaky",
            "scopes": ["organisations:read"],
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter a name for the token."),
        ({"scopes": []}, "Choose at least one scope."),
        ({"scopes": ["statistics:delete"]}, "Select a valid choice."),
        ({"expires_on": "2001-01-01"}, "The expiry date must be after today."),
        ({"expires_on": "31.2.2030"}, "Enter the expiry as a real date."),
        ({"expires_on": "9999-12-31"}, "The expiry date must be in 2100 or earlier."),
        ({"organisation": ""}, "Choose the organisation the token is for."),
    ],
)
def test_the_create_form_names_each_problem(
    personas: Personas, client_for: ClientFor, changes: dict[str, object], message: str
) -> None:
    """Bad input is shown on the form and creates nothing."""
    data: dict[str, object] = {
        "organisation": personas.police.pk,
        "name": "Feed",
        "scopes": ["organisations:read"],
        "expires_on": "",
        **changes,
    }
    response = client_for("coordinator").post(reverse("api:token_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_after_confirmation(personas: Personas, client_for: ClientFor) -> None:
    """GET asks; POST revokes, records who did it and returns to the list."""
    token, _ = make_token(organisation=personas.justice, name="Justice feed")
    client = client_for("secretariat")
    url = reverse("api:token_revoke", args=[token.pk])
    confirmation = client.get(url)
    assert "Revoke token" in confirmation.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("api:token_list")
    token.refresh_from_db()
    assert token.revoked_by == personas.secretariat
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1


def test_revoking_twice_is_refused_without_change(
    personas: Personas, client_for: ClientFor
) -> None:
    """A second POST explains the token is already revoked and changes nothing."""
    token, _ = make_token(organisation=personas.police, revoked=True)
    revoked_at = token.revoked_at
    response = client_for("coordinator").post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 409
    assert "already been revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert not AuditEvent.objects.filter(action="api.token.revoke").exists()


@pytest.mark.parametrize(("persona", "status"), [("secretariat2", 404), ("practitioner", 403)])
def test_others_cannot_revoke_by_posting(
    personas: Personas, client_for: ClientFor, persona: str, status: int
) -> None:
    """A POST from someone who may not manage the token is refused and changes nothing."""
    token, _ = make_token(organisation=personas.police)
    response = client_for(persona).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == status
    token.refresh_from_db()
    assert token.revoked_at is None


def _count_list_queries(client_for: ClientFor) -> int:
    client = client_for("coordinator")
    url = reverse("api:token_list")
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_keeps_the_query_count_flat(personas: Personas, client_for: ClientFor) -> None:
    """With 1 and with 20 tokens (various creators and revokers) the page runs the same queries."""
    make_token(organisation=personas.police, created_by=personas.admin)
    with_one = _count_list_queries(client_for)
    organisations = [personas.police, personas.justice, personas.ngo_org]
    for number in range(19):
        token, _ = make_token(
            organisation=organisations[number % 3],
            created_by=personas.coordinator if number % 2 else personas.admin,
            last_used_at=timezone.now(),
        )
        if number % 4 == 0:
            ApiToken.objects.filter(pk=token.pk).update(
                revoked_at=timezone.now(), revoked_by=personas.admin
            )
    with_twenty = _count_list_queries(client_for)
    assert with_one == with_twenty
