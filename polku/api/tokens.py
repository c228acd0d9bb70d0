"""How API tokens are made, written and checked: `polku_<prefix>_<secret>`."""

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

TOKEN_NAMESPACE = "polku"  # noqa: S105 - a label, not a secret
PREFIX_LENGTH = 8
SECRET_LENGTH = 40
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SECRET_ALPHABET = string.ascii_letters + string.digits
# The namespace makes leaked tokens recognisable to secret scanners.
TOKEN_PATTERN = re.compile(
    rf"^{TOKEN_NAMESPACE}_(?P<prefix>[a-z0-9]{{{PREFIX_LENGTH}}})_"
    rf"(?P<secret>[A-Za-z0-9]{{{SECRET_LENGTH}}})$"
)


@dataclass(frozen=True)
class ParsedToken:
    prefix: str
    secret: str


def new_prefix() -> str:
    """A short public identifier used to find a token without revealing its secret."""
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def new_secret() -> str:
    """About 238 bits of randomness: far beyond any offline guessing."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def format_token(prefix: str, secret: str) -> str:
    return f"{TOKEN_NAMESPACE}_{prefix}_{secret}"


def parse_token(value: str) -> ParsedToken | None:
    """Splits a presented token, or None when it is not shaped like a Polku token."""
    match = TOKEN_PATTERN.match(value.strip())
    if match is None:
        return None
    return ParsedToken(prefix=match["prefix"], secret=match["secret"])


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Compares in constant time so response timing reveals nothing about the stored hash."""
    return hmac.compare_digest(hash_secret(secret), stored_hash)
