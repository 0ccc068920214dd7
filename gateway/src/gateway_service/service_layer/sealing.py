"""Sealing what the gateway keeps but must not keep in clear (TOTP secrets, the admin API's kept answers):
AES-256-GCM under a key of one purpose, bound to what it belongs to (a sealed value moved elsewhere fails)."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


def derived_key(secret: bytes, purpose: str) -> bytes:
    """A 256-bit key for one purpose from the gateway's key encryption secret (HMAC-SHA256 as a KDF: the secret
    is long and random in production), so that no two uses share a key."""
    return hmac.new(secret, f"hope-gateway:{purpose}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Sealer:
    key: bytes

    def seal(self, text: str, bound_to: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self.key).encrypt(nonce, text.encode(), bound_to.encode())

    def open(self, sealed: bytes, bound_to: str) -> str:
        return AESGCM(self.key).decrypt(sealed[:_NONCE], sealed[_NONCE:], bound_to.encode()).decode()
