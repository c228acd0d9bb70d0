"""The permissions an API token can carry. Each app registers the scopes its endpoints need."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Scope:
    """One permission a token can carry, such as `organisations:read`.

    `session_roles` says which signed-in people may call the endpoints behind this scope with
    their browser session instead of a token: None means anyone holding a role, an empty set
    means nobody (token only).
    """

    code: str
    label: str | Promise
    session_roles: frozenset[str] | None = None


_registry: dict[str, Scope] = {}


def register_scope(
    code: str, label: str | Promise, *, session_roles: Iterable[str] | None = None
) -> Scope:
    """Adds a scope; registering the same code twice with the same label is harmless."""
    if ":" not in code or code != code.strip().lower():
        raise ValueError(f"Scope codes look like 'resource:action', got {code!r}.")
    scope = Scope(
        code=code,
        label=label,
        session_roles=frozenset(session_roles) if session_roles is not None else None,
    )
    existing = _registry.get(code)
    if existing is not None and existing != scope:
        raise ValueError(f"Scope {code!r} is already registered differently.")
    _registry[code] = scope
    return scope


def get_scope(code: str) -> Scope | None:
    return _registry.get(code)


def all_scopes() -> list[Scope]:
    """Every registered scope, in code order."""
    return [_registry[code] for code in sorted(_registry)]


def scope_choices() -> list[tuple[str, str | Promise]]:
    return [(scope.code, scope.label) for scope in all_scopes()]


def scope_label(code: str) -> str | Promise:
    """The human label of a scope, or the code itself when no app registers it any more."""
    scope = _registry.get(code)
    return scope.label if scope is not None else code
