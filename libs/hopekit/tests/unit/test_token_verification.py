"""Token verification refuses every kind of forged, stale or misdirected token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import FileKeySet, generate_signing_key
from hopekit.identity.tokens import MAX_TOKEN_LIFETIME_S, InvalidToken, TokenVerifier, mint_token

ISSUER = "https://gateway.test"
AUDIENCE = "hope-platform"


@pytest.fixture
def key_and_verifier(tmp_path: Path) -> tuple[object, TokenVerifier]:
    key = generate_signing_key()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [key.public_jwk()]}))
    return key, TokenVerifier(FileKeySet(jwks), issuer=ISSUER, audience=AUDIENCE, leeway_s=0)


def good(key: object, **overrides: object) -> str:
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


def _hs256(claims: dict[str, object], secret: bytes, kid: str) -> str:
    """Signed by hand: PyJWT itself refuses to use a PEM public key as an HMAC secret."""
    signing_input = (
        _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()) + "." + _b64(json.dumps(claims).encode())
    )
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(mac)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def test_a_good_token_gives_the_principal(key_and_verifier: tuple[object, TokenVerifier]) -> None:
    key, verifier = key_and_verifier
    org = uuid.uuid4()
    principal = await verifier.verify(good(key, org_id=org, scopes=["beneficiaries:read"]))
    assert principal.org_id == org
    assert principal.org_kind is OrgKind.TRAINING_PROVIDER
    assert principal.roles == frozenset({Role.READER})
    assert principal.scopes == frozenset({"beneficiaries:read"})


async def test_tampered_tokens_are_refused(key_and_verifier: tuple[object, TokenVerifier]) -> None:
    key, verifier = key_and_verifier
    token = good(key)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    public_pem = (
        serialization.load_pem_private_key(key.private_pem, None)  # type: ignore[attr-defined]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    now = datetime.now(UTC)
    forged = {
        "alg none": _b64(json.dumps({"alg": "none", "kid": key.kid}).encode()) + "." + payload + ".",  # type: ignore[attr-defined]
        "HS256 with the public key": _hs256(claims, public_pem, key.kid),  # type: ignore[attr-defined]
        "wrong audience": good(key, audience="another-platform"),
        "wrong issuer": good(key, issuer="https://evil.test"),
        "expired": good(key, now=now - timedelta(hours=2), ttl=timedelta(minutes=5)),
        "not yet valid": good(key, now=now + timedelta(hours=1)),
        "unknown kid": good(generate_signing_key()),
        "altered payload": header + "." + _b64(json.dumps({**claims, "roles": ["admin"]}).encode()) + "." + signature,
        "garbage": "not.a.token",
    }
    refused = []
    for name, forged_token in forged.items():
        try:
            await verifier.verify(forged_token)
        except InvalidToken:
            refused.append(name)
    assert refused == list(forged)


async def test_claims_that_are_not_a_principal_are_refused(key_and_verifier: tuple[object, TokenVerifier]) -> None:
    key, verifier = key_and_verifier
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "x",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "org_id": "not-a-uuid",
        "org_kind": "training_provider",
        "roles": ["reader"],
    }
    token = jwt.encode(claims, key.private_pem, algorithm="ES256", headers={"kid": key.kid})  # type: ignore[attr-defined]
    with pytest.raises(InvalidToken, match="not a valid principal"):
        await verifier.verify(token)


async def test_a_token_that_would_live_longer_than_the_platform_allows_is_refused(
    key_and_verifier: tuple[object, TokenVerifier],
) -> None:
    key, verifier = key_and_verifier
    # Year 9999: signed by a trusted key, but no token of the platform's lives that long.
    far = good(key, ttl=datetime(9999, 1, 1, tzinfo=UTC) - datetime.now(UTC))
    with pytest.raises(InvalidToken, match="lives longer"):
        await verifier.verify(far)
    just_over = good(key, ttl=timedelta(seconds=MAX_TOKEN_LIFETIME_S + 1))
    with pytest.raises(InvalidToken, match="lives longer"):
        await verifier.verify(just_over)
    assert await verifier.verify(good(key, ttl=timedelta(seconds=MAX_TOKEN_LIFETIME_S)))
