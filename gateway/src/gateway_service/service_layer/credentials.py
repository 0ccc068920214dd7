"""Client ids and secrets: secrets are random, shown once, and stored only as argon2id hashes."""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
# Verified against when the client is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(32))


def new_client_id() -> str:
    return "hope_" + secrets.token_hex(12)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# argon2id costs tens of milliseconds of CPU and 64 MiB by design; argon2-cffi releases the GIL while it works,
# so running it in a worker thread keeps the event loop (and every proxied request) moving meanwhile.


async def hash_secret(secret: str) -> str:
    return await asyncio.to_thread(_hasher.hash, secret)


async def secret_matches(secret: str, secret_hash: str | None) -> bool:
    return await asyncio.to_thread(_matches, secret, secret_hash)


def _matches(secret: str, secret_hash: str | None) -> bool:
    try:
        return _hasher.verify(secret_hash or _DUMMY_HASH, secret) and secret_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
