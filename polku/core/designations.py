"""Where an app tells the platform that a person has a part in it without holding a role.

Roles come from memberships; some parts are given by designation in an app's own tables
(a return validator is named per organisation in statistics). The navigation must offer
such a person the app's pages without the platform importing the app: each app registers,
when it is ready, a check for each designation it makes. A designation nobody registered
is held by nobody (default deny).
"""

from collections.abc import Callable

from polku.accounts.models import User

Holds = Callable[[User], bool]

# Designated by statistics: validates an organisation's statistics returns.
RETURN_VALIDATOR = "statistics.return_validator"

_designations: dict[str, Holds] = {}

# Where each person's answers are kept for the rest of the request, as roles are.
_CACHE = "_polku_designations"


def register_designation(name: str, holds: Holds) -> None:
    """Lends `holds` (user → whether they hold it) for the designation `name`."""
    _designations[name] = holds


def is_designated(user: User, name: str) -> bool:
    """Whether the person holds the designation; asked once per person and request."""
    holds = _designations.get(name)
    if holds is None:
        return False
    answers: dict[str, bool] | None = getattr(user, _CACHE, None)
    if answers is None:
        answers = {}
        setattr(user, _CACHE, answers)
    if name not in answers:
        answers[name] = holds(user)
    return answers[name]
