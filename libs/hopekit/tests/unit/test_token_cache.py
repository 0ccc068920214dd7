"""A token the verifier remembers is still refused once it expires, once its key is gone, or once altered."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import FileKeySet, SigningKey, generate_signing_key
from hopekit.identity.tokens import InvalidToken, TokenVerifier, mint_token

ISSUER = "https://gateway.test"
AUDIENCE = "hope-platform"


def _token(key: SigningKey, **overrides: object) -> str:
    arguments: dict[str, object] = {
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "subject": "client-1",
        "org_id": uuid.uuid4(),
        "org_kind": OrgKind.TRAINING_PROVIDER,
        "roles": [Role.READER],
    }
    arguments.update(overrides)
    return mint_token(key, **arguments)  # type: ignore[arg-type]


def _publish(path: Path, *keys: SigningKey) -> None:
    path.write_text(json.dumps({"keys": [key.public_jwk() for key in keys]}))
    # A new modification time even within the file system's timestamp resolution.
    stamp = path.stat().st_mtime + 1
    os.utime(path, (stamp, stamp))


@pytest.fixture
def jwks(tmp_path: Path) -> Path:
    return tmp_path / "jwks.json"


async def test_a_token_seen_before_gives_the_same_principal(jwks: Path) -> None:
    key = generate_signing_key()
    _publish(jwks, key)
    verifier = TokenVerifier(FileKeySet(jwks), issuer=ISSUER, audience=AUDIENCE, leeway_s=0)
    token = _token(key)
    assert await verifier.verify(token) == await verifier.verify(token)


async def test_a_remembered_token_is_refused_once_expired(jwks: Path) -> None:
    key = generate_signing_key()
    _publish(jwks, key)
    verifier = TokenVerifier(FileKeySet(jwks), issuer=ISSUER, audience=AUDIENCE, leeway_s=0)
    token = _token(key, now=datetime.now(UTC) - timedelta(seconds=59), ttl=timedelta(seconds=60))
    await verifier.verify(token)
    await asyncio.sleep(1.1)
    with pytest.raises(InvalidToken, match="expired"):
        await verifier.verify(token)


async def test_a_remembered_token_is_refused_once_its_key_is_withdrawn(jwks: Path) -> None:
    key, other = generate_signing_key(), generate_signing_key()
    _publish(jwks, key, other)
    verifier = TokenVerifier(FileKeySet(jwks), issuer=ISSUER, audience=AUDIENCE, leeway_s=0)
    token = _token(key)
    await verifier.verify(token)
    _publish(jwks, other)
    with pytest.raises(InvalidToken, match="unknown signing key"):
        await verifier.verify(token)


async def test_an_altered_copy_of_a_remembered_token_is_refused(jwks: Path) -> None:
    key = generate_signing_key()
    _publish(jwks, key)
    verifier = TokenVerifier(FileKeySet(jwks), issuer=ISSUER, audience=AUDIENCE, leeway_s=0)
    token = _token(key)
    await verifier.verify(token)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    altered = base64.urlsafe_b64encode(json.dumps({**claims, "roles": ["admin"]}).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        await verifier.verify(f"{header}.{altered}.{signature}")
    with pytest.raises(InvalidToken):
        await verifier.verify(token + "x")


async def test_the_memory_stays_bounded(jwks: Path) -> None:
    key = generate_signing_key()
    _publish(jwks, key)
    verifier = TokenVerifier(FileKeySet(jwks), issuer=ISSUER, audience=AUDIENCE, cache_size=10)
    tokens = [_token(key) for _ in range(25)]
    for token in tokens:
        await verifier.verify(token)
    assert len(verifier._verified) <= 10
    # Forgotten tokens are simply verified again.
    assert (await verifier.verify(tokens[0])).subject == "client-1"
