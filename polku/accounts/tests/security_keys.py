"""A software security key for the tests: answers WebAuthn challenges the way a browser
passes on a real key's answers, signed with its own P-256 key."""

import hashlib
import json
import os
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django_otp_webauthn.models import WebAuthnCredential

from polku.accounts.models import User

FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
FLAG_ATTESTED = 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    """One credential on a pretend authenticator."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    @property
    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return bytes(
            cbor2.dumps(
                {
                    1: 2,  # kty: EC2
                    3: -7,  # alg: ES256
                    -1: 1,  # crv: P-256
                    -2: numbers.x.to_bytes(32, "big"),
                    -3: numbers.y.to_bytes(32, "big"),
                }
            )
        )

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0],
                "crossOrigin": False,
            }
        ).encode()

    @staticmethod
    def _rp_id_hash(rp_id: str | None) -> bytes:
        return hashlib.sha256((rp_id or settings.OTP_WEBAUTHN_RP_ID).encode()).digest()

    def register(
        self, options: dict[str, Any], *, origin: str | None = None, rp_id: str | None = None
    ) -> dict[str, Any]:
        """The browser's JSON for navigator.credentials.create() with these options."""
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attested = (
            bytes(16)  # AAGUID: none
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.cose_public_key
        )
        auth_data = (
            self._rp_id_hash(rp_id)
            + bytes([FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_ATTESTED])
            + struct.pack(">I", self.sign_count)
            + attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": b64url(attestation),
                "clientDataJSON": b64url(client_data),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
        }

    def sign(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        tamper: bool = False,
    ) -> dict[str, Any]:
        """The browser's JSON for navigator.credentials.get() with these options."""
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = (
            self._rp_id_hash(rp_id)
            + bytes([FLAG_USER_PRESENT | FLAG_USER_VERIFIED])
            + struct.pack(">I", self.sign_count)
        )
        signature = self.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        if tamper:
            auth_data = auth_data[:-1] + bytes([auth_data[-1] ^ 0xFF])
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64url(auth_data),
                "clientDataJSON": b64url(client_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }

    def add_to(self, user: User, name: str = "Blue key") -> WebAuthnCredential:
        """Registers this key for the person directly, as if they had added it earlier."""
        device: WebAuthnCredential = WebAuthnCredential.objects.create(
            user=user,
            name=name,
            confirmed=True,
            credential_id=self.credential_id,
            public_key=self.cose_public_key,
            sign_count=self.sign_count,
            aaguid="00000000-0000-0000-0000-000000000000",
        )
        return device
