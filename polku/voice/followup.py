"""Follow-up codes of protected challenges: made once, stored only as a salted hash.

A code is 24 characters of Crockford's base32 (120 bits). The first 8 are a lookup prefix,
stored in clear to find the challenge without hashing every protected row; the other 16
(80 bits) are the secret. The whole code is stored through Django's password hashers, so
neither the database nor the SECRET_KEY gives it back.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX_LENGTH = 8
SECRET_LENGTH = 16
CODE_LENGTH = PREFIX_LENGTH + SECRET_LENGTH
GROUP = 4
# Confusable letters are read as the digits they resemble, as Crockford's base32 does.
CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

FAILURE_LIMIT = 5
FAILURE_WINDOW_SECONDS = 15 * 60


def new_code() -> str:
    """A fresh code in groups of four, e.g. 7KQ2-XM9A-..."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[index : index + GROUP] for index in range(0, len(raw), GROUP))


def normalise(code: str) -> str | None:
    """The code in canonical form, or None when it cannot be a code at all."""
    cleaned = "".join(code.split()).replace("-", "").upper().translate(CONFUSABLES)
    if len(cleaned) != CODE_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def prefix_of(canonical: str) -> str:
    return canonical[:PREFIX_LENGTH]


def hash_code(canonical: str) -> str:
    """The salted, slow hash that is all the database keeps of a code."""
    return make_password(canonical)


def matches(canonical: str, encoded: str | None) -> bool:
    """Compares in constant time; without a stored hash it still spends the hashing time."""
    if not encoded:
        make_password(canonical)
        return False
    return check_password(canonical, encoded)


def _failure_key(client_address: str | None) -> str:
    # The cache holds a digest of the client address and a count: never a code or a challenge.
    digest = hashlib.sha256((client_address or "unknown").encode()).hexdigest()[:32]
    return f"polku:voice:followup-failures:{digest}"


def is_locked_out(client_address: str | None) -> bool:
    """Too many wrong codes from this address within the window."""
    return int(cache.get(_failure_key(client_address), 0)) >= failure_limit()


def record_failure(client_address: str | None) -> None:
    key = _failure_key(client_address)
    if cache.add(key, 1, timeout=FAILURE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=FAILURE_WINDOW_SECONDS)


def failure_limit() -> int:
    return int(getattr(settings, "POLKU_VOICE_FOLLOWUP_FAILURE_LIMIT", FAILURE_LIMIT))
