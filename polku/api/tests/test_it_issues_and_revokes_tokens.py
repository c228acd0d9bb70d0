"""Issuing and revoking tokens: the secret is shown once, stored only as a hash, and audited."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas
from polku.api import tokens
from polku.api.models import ApiToken
from polku.api.services import api_token_issue, api_token_revoke
from polku.audit.models import AuditEvent


def _all_stored_text() -> str:
    """Every value in the token and audit tables, as one string to search."""
    rows = list(ApiToken.objects.values()) + list(AuditEvent.objects.values())
    return json.dumps(rows, default=str)


def test_it_returns_the_plaintext_once_and_stores_only_its_hash(personas: Personas) -> None:
    """The plaintext is `polku_<prefix>_<secret>`; only the SHA-256 of the secret is kept."""
    token, plaintext = api_token_issue(
        actor=personas.coordinator,
        organisation=personas.police,
        name="Case system export",
        scopes=["organisations:read"],
    )
    parsed = tokens.parse_token(plaintext)
    assert parsed is not None
    assert parsed.prefix == token.prefix
    token.refresh_from_db()
    assert token.secret_hash == tokens.hash_secret(parsed.secret)
    assert tokens.secret_matches(parsed.secret, token.secret_hash)
    last = "y" if parsed.secret.endswith("x") else "x"
    assert not tokens.secret_matches(parsed.secret[:-1] + last, token.secret_hash)
    stored = _all_stored_text()
    assert parsed.secret not in stored
    assert plaintext not in stored
    assert token.created_by == personas.coordinator
    assert token.scopes == ["organisations:read"]
    assert token.status == ApiToken.Status.ACTIVE


def test_it_makes_a_new_secret_and_prefix_every_time(personas: Personas) -> None:
    """Two tokens never share a prefix or a secret."""
    issued = [
        api_token_issue(
            actor=personas.admin,
            organisation=personas.police,
            name=f"System {number}",
            scopes=["organisations:read"],
        )
        for number in range(5)
    ]
    assert len({token.prefix for token, _ in issued}) == 5
    assert len({plaintext for _, plaintext in issued}) == 5


def test_it_audits_the_issue_without_the_secret_or_its_hash(personas: Personas) -> None:
    """The audit event records the token's fields, never the secret nor the stored hash."""
    token, plaintext = api_token_issue(
        actor=personas.secretariat,
        organisation=personas.justice,
        name="Statistics feed",
        scopes=["organisations:read"],
    )
    event = AuditEvent.objects.get(action="api.token.issue")
    assert event.actor == personas.secretariat
    assert event.target_id == str(token.pk)
    assert event.after is not None
    assert event.after["prefix"] == token.prefix
    assert event.after["organisation_id"] == personas.justice.pk
    assert "secret_hash" not in event.after
    recorded = json.dumps([event.before, event.after, event.detail])
    assert token.secret_hash not in recorded
    assert plaintext.rsplit("_", 1)[1] not in recorded


def test_it_revokes_and_audits_the_revocation(personas: Personas) -> None:
    """Revoking records who and when, and the audit event shows the change."""
    token, _ = api_token_issue(
        actor=personas.coordinator,
        organisation=personas.police,
        name="Old system",
        scopes=["organisations:read"],
    )
    api_token_revoke(actor=personas.admin, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == personas.admin
    assert token.status == ApiToken.Status.REVOKED
    event = AuditEvent.objects.get(action="api.token.revoke")
    assert event.before is not None and event.after is not None
    assert event.before["revoked_at"] is None
    assert event.after["revoked_at"] is not None
    assert "secret_hash" not in event.after


def test_it_refuses_to_revoke_twice(personas: Personas) -> None:
    """A second revocation is refused and writes no second audit event."""
    token, _ = api_token_issue(
        actor=personas.coordinator,
        organisation=personas.police,
        name="Old system",
        scopes=["organisations:read"],
    )
    api_token_revoke(actor=personas.coordinator, token=token)
    first_revocation = ApiToken.objects.get(pk=token.pk).revoked_at
    with pytest.raises(ValidationError, match="already been revoked"):
        api_token_revoke(actor=personas.coordinator, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first_revocation
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1


@pytest.mark.parametrize(
    ("actor", "organisation", "allowed"),
    [
        ("admin", "police", True),
        ("coordinator", "ngo_org", True),
        ("secretariat", "justice", True),
        ("secretariat", "social_affairs", False),
        ("secretariat2", "justice", False),
        ("practitioner", "police", False),
        ("ngo", "ngo_org", False),
        ("outsider", "police", False),
    ],
)
def test_it_lets_only_token_managers_issue(
    personas: Personas, actor: str, organisation: str, allowed: bool
) -> None:
    """Administrators and the coordinator issue for anyone; others only for their own."""
    user = getattr(personas, actor)
    target = getattr(personas, organisation)

    def issue() -> None:
        api_token_issue(actor=user, organisation=target, name="X", scopes=["organisations:read"])

    if allowed:
        issue()
        assert ApiToken.objects.filter(organisation=target).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            issue()
        assert not ApiToken.objects.exists()
        assert not AuditEvent.objects.filter(action="api.token.issue").exists()


def test_a_data_provider_issues_for_their_own_organisation(personas: Personas) -> None:
    """A data provider manages the tokens of the organisation they provide data for."""
    statistics = personas.dataprovider.memberships.get().organisation
    token, _ = api_token_issue(
        actor=personas.dataprovider,
        organisation=statistics,
        name="Returns",
        scopes=["organisations:read"],
    )
    assert token.organisation == statistics
    with pytest.raises(PermissionDenied):
        api_token_revoke(
            actor=personas.secretariat,
            token=token,
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "Enter a name"),
        ({"name": "x" * 101}, "name", "at most 100"),
        ({"scopes": []}, "scopes", "at least one scope"),
        ({"scopes": ["statistics:delete-everything"]}, "scopes", "Unknown scopes"),
        ({"expires_at": "past"}, "expires_at", "in the future"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(
    personas: Personas, changes: dict[str, object], field: str, message: str
) -> None:
    """Each problem is named on its field, and no token or audit event is written."""
    values: dict[str, object] = {
        "name": "Feed",
        "scopes": ["organisations:read"],
        "expires_at": None,
        **changes,
    }
    if values["expires_at"] == "past":
        values["expires_at"] = timezone.now() - timedelta(minutes=1)
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refusal:
        api_token_issue(actor=personas.admin, organisation=personas.police, **values)  # type: ignore[arg-type]
    assert message in " ".join(refusal.value.message_dict[field])
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_it_refuses_a_retired_organisation(personas: Personas) -> None:
    """No token is issued for an organisation that is no longer active."""
    personas.police.is_active = False
    personas.police.save()
    with pytest.raises(ValidationError) as refusal:
        api_token_issue(
            actor=personas.admin,
            organisation=personas.police,
            name="Feed",
            scopes=["organisations:read"],
        )
    assert "organisation" in refusal.value.message_dict
    assert not ApiToken.objects.exists()
