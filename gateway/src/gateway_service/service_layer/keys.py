"""The gateway's signing keys: private halves encrypted at rest, public halves published as a JWKS.

One key signs at a time. Rotation retires the previous key, which stays published (and trusted here)
until every token it signed has expired, plus a leeway.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from jwt import PyJWK

from gateway_service.adapters.signing_keys import StoredKey
from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from hopekit.identity.keys import SigningKey, generate_signing_key


def encrypt_key(key: SigningKey, secret: bytes) -> bytes:
    private = serialization.load_pem_private_key(key.private_pem, password=None)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    )


def decrypt_key(stored: StoredKey, secret: bytes) -> SigningKey:
    private = serialization.load_pem_private_key(stored.encrypted_pem, password=secret)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningKey(kid=stored.kid, private_pem=pem)


async def create_key(uow: GatewayUnitOfWork, secret: bytes) -> SigningKey:
    """A new current key; every other key is retired (and stays published until its tokens expire)."""
    key = generate_signing_key()
    now = datetime.now(UTC)
    await uow.signing_keys.add(
        StoredKey(
            kid=key.kid,
            encrypted_pem=encrypt_key(key, secret),
            public_jwk=key.public_jwk(),
            created_at=now,
            retired_at=None,
        )
    )
    await uow.signing_keys.retire_all_but(key.kid, now)
    return key


class KeyRing:
    """The signer and the verifier's key set of one gateway process, read from its database and cached."""

    def __init__(
        self,
        uow_factory: Callable[[], GatewayUnitOfWork],
        secret: bytes,
        *,
        token_ttl: timedelta,
        leeway: timedelta,
        cache_s: float = 30.0,
        min_refresh_s: float = 2.0,
    ) -> None:
        self._uow_factory = uow_factory
        self._secret = secret
        self._published_for = token_ttl + leeway
        self._cache_s = cache_s
        self._min_refresh_s = min_refresh_s
        self._signer: SigningKey | None = None
        self._signer_at = 0.0
        self._public: dict[str, dict[str, Any]] = {}
        self._parsed: dict[str, PyJWK] = {}
        self._public_at = 0.0
        self._lock = asyncio.Lock()

    async def signer(self) -> SigningKey:
        if self._signer is None or time.monotonic() - self._signer_at > self._cache_s:
            async with self._lock:
                if self._signer is None or time.monotonic() - self._signer_at > self._cache_s:
                    async with self._uow_factory() as uow:
                        stored = await uow.signing_keys.current()
                        if stored is None:
                            key = await create_key(uow, self._secret)
                            await uow.commit()
                        else:
                            key = decrypt_key(stored, self._secret)
                    self._signer = key
                    self._signer_at = time.monotonic()
        return self._signer

    async def rotate(self) -> str:
        async with self._lock:
            async with self._uow_factory() as uow:
                key = await create_key(uow, self._secret)
                await uow.commit()
            self._signer = key
            self._signer_at = time.monotonic()
            self._public_at = 0.0
        return key.kid

    async def jwks(self) -> dict[str, Any]:
        await self._refresh_public(force=False)
        return {"keys": list(self._public.values())}

    async def key_for(self, kid: str) -> PyJWK | None:
        """The KeySet the gateway's own verifier uses: no HTTP round trip to itself."""
        await self._refresh_public(force=kid not in self._public)
        return self._parsed.get(kid)

    async def _refresh_public(self, *, force: bool) -> None:
        age = time.monotonic() - self._public_at
        if age <= self._cache_s and not (force and age > self._min_refresh_s):
            return
        async with self._uow_factory() as uow:
            stored = await uow.signing_keys.published(datetime.now(UTC) - self._published_for)
        self._public = {key.kid: key.public_jwk for key in stored}
        self._parsed = {key.kid: PyJWK(key.public_jwk) for key in stored}
        self._public_at = time.monotonic()
