"""Where an app lends its default-deny scope to others that link to its records by type and id.

An agenda item may be about a guideline, a briefing or a measure: the app that links must
not learn that a record exists unless its owner's scope shows it to the person linking.
Each app registers its scopes when it is ready; a model with no registered scope is never
shown (default deny).
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from polku.core.permissions import AnyUser

Scope = Callable[[AnyUser], QuerySet[Any]]

_scopes: dict[str, Scope] = {}


def register_scope(label: str, scope: Scope) -> None:
    """Lends `scope` (user → queryset) for the model `app_label.model_name`."""
    _scopes[label.lower()] = scope


def scope_for(label: str) -> Scope | None:
    return _scopes.get(label.lower())
