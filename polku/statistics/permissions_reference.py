"""Who keeps the statistics reference data: indicators, who reports them, the population.

- Every insider reads indicators, who reports them and the population figures: they are
  reference knowledge (``can_read_indicators``).
- The coordinator, the secretariat and administrators (``KEEPER_ROLES``) change them.
- Other insiders are refused (403); anonymous visitors are sent to sign in, and outsiders
  never learn that an indicator exists (404).
"""

from polku.accounts.models import User
from polku.core.permissions import AnyUser, is_insider
from polku.statistics.services.indicators import KEEPER_ROLES


def can_keep_reference_data(user: AnyUser) -> bool:
    return isinstance(user, User) and is_insider(user) and user.has_role(*KEEPER_ROLES)
