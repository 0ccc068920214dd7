"""The second factor: TOTP (RFC 6238, 30 s steps, 6 digits) with pyotp, the secret sealed at rest.

A code is accepted one step either side of now (a phone's clock drifts, a person takes a few seconds to type),
and each step only once: a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime

import pyotp
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# Steps either side of the current one that are still accepted.
WINDOW = 1
ISSUER = "HOPE"
_NONCE = 12


def derived_key(secret: bytes, purpose: str) -> bytes:
    """A 256-bit key for one purpose from the gateway's key encryption secret (HMAC-SHA256 as a KDF: the secret
    is long and random in production), so that no two uses share a key."""
    return hmac.new(secret, f"hope-gateway:{purpose}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class TotpSealer:
    """Seals TOTP secrets with AES-256-GCM, bound to the person (a sealed secret moved to another row fails)."""

    key: bytes

    def seal(self, secret: str, person_id: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self.key).encrypt(nonce, secret.encode(), person_id.encode())

    def open(self, sealed: bytes, person_id: str) -> str:
        return AESGCM(self.key).decrypt(sealed[:_NONCE], sealed[_NONCE:], person_id.encode()).decode()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app reads (typed in by hand from the secret as well)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, if it is within the window of ``now`` and later than the last step
    accepted; else None."""
    cleaned = code.replace(" ", "")
    if len(cleaned) != 6 or not cleaned.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(cleaned, totp.generate_otp(step)) and (last_step is None or step > last_step):
            return step
    return None
