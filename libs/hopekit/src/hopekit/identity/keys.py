"""Signing keys: a local development key pair, and the public key sets services verify with."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt import PyJWK
from jwt.algorithms import ECAlgorithm
from jwt.exceptions import PyJWKError

log = logging.getLogger(__name__)

SIGNING_ALGORITHM = "ES256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes

    def public_jwk(self) -> dict[str, Any]:
        private = serialization.load_pem_private_key(self.private_pem, password=None)
        jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(private.public_key()))  # type: ignore[arg-type]
        return {**jwk, "kid": self.kid, "alg": SIGNING_ALGORITHM, "use": "sig"}


def generate_signing_key() -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    return SigningKey(kid=_thumbprint(public_jwk), private_pem=pem)


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint: a kid that anyone holding the public key can recompute."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def ensure_dev_keys(keys_dir: Path) -> SigningKey:
    """The development signer: made once under ``keys_dir``, with its public JWKS beside it."""
    private_path = keys_dir / "dev-signing-key.pem"
    kid_path = keys_dir / "dev-signing-key.kid"
    if private_path.exists() and kid_path.exists():
        return SigningKey(kid=kid_path.read_text().strip(), private_pem=private_path.read_bytes())
    keys_dir.mkdir(parents=True, exist_ok=True)
    key = generate_signing_key()
    private_path.write_bytes(key.private_pem)
    os.chmod(private_path, 0o600)
    kid_path.write_text(key.kid)
    (keys_dir / "public.jwks.json").write_text(json.dumps({"keys": [key.public_jwk()]}, indent=2))
    return key


class KeySet(Protocol):
    async def key_for(self, kid: str) -> PyJWK | None: ...


class FileKeySet:
    """Public keys read from a JWKS file (development and tests), read again when the file changes."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._mtime: float | None = None
        self._keys: dict[str, PyJWK] = {}

    async def key_for(self, kid: str) -> PyJWK | None:
        try:
            mtime = self._path.stat().st_mtime
        except FileNotFoundError:
            return None
        if mtime != self._mtime:
            self._keys = _parse_jwks(json.loads(self._path.read_text()))
            self._mtime = mtime
        return self._keys.get(kid)


def _parse_jwks(jwks: dict[str, Any]) -> dict[str, PyJWK]:
    keys: dict[str, PyJWK] = {}
    for entry in jwks.get("keys", []):
        try:
            key = PyJWK(entry)
        except PyJWKError:
            log.warning("ignoring an unusable key in the key set")
            continue
        if key.key_id:
            keys[key.key_id] = key
    return keys


class RemoteKeySet:
    """The gateway's JWKS, cached; an unknown ``kid`` refreshes it, at most once per ``min_refresh_s``."""

    def __init__(self, url: str, client: httpx.AsyncClient, ttl_s: float = 300, min_refresh_s: float = 10) -> None:
        self._url = url
        self._client = client
        self._ttl_s = ttl_s
        self._min_refresh_s = min_refresh_s
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> PyJWK | None:
        now = time.monotonic()
        stale = now - self._fetched_at > self._ttl_s
        if kid not in self._keys or stale:
            async with self._lock:
                if now - self._fetched_at > self._min_refresh_s or (stale and not self._keys):
                    await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        try:
            response = await self._client.get(self._url, timeout=5.0)
            response.raise_for_status()
            keys = _parse_jwks(response.json())
        except (httpx.HTTPError, ValueError):
            log.warning("could not refresh the gateway's keys from %s", self._url, exc_info=True)
            return
        self._keys = keys
        self._fetched_at = time.monotonic()


class CombinedKeySet:
    """The gateway's keys first, then the local development keys (never combined in production)."""

    def __init__(self, *sets: KeySet) -> None:
        self._sets = sets

    async def key_for(self, kid: str) -> PyJWK | None:
        for key_set in self._sets:
            key = await key_set.key_for(kid)
            if key is not None:
                return key
        return None
