"""Forged and damaged tokens: refused by the enrolment service (keys fetched from the gateway's JWKS)
and by the gateway's own verification alike."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import generate_signing_key
from hopekit.identity.tokens import mint_token

from .conftest import ISSUER, Platform

pytestmark = pytest.mark.integration


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(org_id: uuid.UUID) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    return {
        "iss": ISSUER,
        "aud": "hope-platform",
        "sub": "forger",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "org_id": str(org_id),
        "org_kind": "programme_operator",
        "roles": ["admin"],
        "scope": "",
    }


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


Forge = Callable[[Platform], Awaitable[str]]


async def alg_none(platform: Platform) -> str:
    key = await platform.signing_key()
    return _unsigned({"alg": "none", "typ": "JWT", "kid": key.kid}, _claims(platform.admin.org_id))


async def hs256_with_the_public_key(platform: Platform) -> str:
    jwks = (await platform.http.get("/.well-known/jwks.json")).json()
    public = jwks["keys"][0]
    header = {"alg": "HS256", "typ": "JWT", "kid": public["kid"]}
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(_claims(platform.admin.org_id)).encode())
    secret = json.dumps(public).encode()
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


async def _signed(platform: Platform, **overrides: Any) -> str:
    key = await platform.signing_key()
    options: dict[str, Any] = {
        "issuer": ISSUER,
        "audience": "hope-platform",
        "subject": "forger",
        "org_id": platform.admin.org_id,
        "org_kind": OrgKind.PROGRAMME_OPERATOR,
        "roles": [Role.ADMIN],
    }
    options.update(overrides)
    return mint_token(key, **options)


async def wrong_audience(platform: Platform) -> str:
    return await _signed(platform, audience="another-platform")


async def wrong_issuer(platform: Platform) -> str:
    return await _signed(platform, issuer="https://evil.example")


async def expired(platform: Platform) -> str:
    return await _signed(platform, now=datetime.now(UTC) - timedelta(hours=1), ttl=timedelta(minutes=15))


async def not_yet_valid(platform: Platform) -> str:
    return await _signed(platform, now=datetime.now(UTC) + timedelta(hours=1))


async def lives_until_year_9999(platform: Platform) -> str:
    # Signed with the gateway's own key, as only a leaked key or a misconfigured gateway could.
    return await _signed(platform, ttl=datetime(9999, 12, 31, tzinfo=UTC) - datetime.now(UTC))


async def unknown_kid(platform: Platform) -> str:
    stranger = generate_signing_key()
    return mint_token(
        stranger,
        issuer=ISSUER,
        audience="hope-platform",
        subject="forger",
        org_id=platform.admin.org_id,
        org_kind=OrgKind.PROGRAMME_OPERATOR,
        roles=[Role.ADMIN],
    )


async def altered_payload(platform: Platform) -> str:
    reader = await platform.client(OrgKind.TRAINING_PROVIDER, Role.READER)
    token = await platform.token(reader)
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["roles"] = ["admin"]
    claims["org_kind"] = "programme_operator"
    return f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"


FORGERIES: list[Forge] = [
    alg_none,
    hs256_with_the_public_key,
    wrong_audience,
    wrong_issuer,
    expired,
    not_yet_valid,
    lives_until_year_9999,
    unknown_kid,
    altered_payload,
]

# (where, path): the enrolment service directly, and the gateway (its admin API and its proxy).
TARGETS = [
    ("enrolment", "/v1/beneficiaries"),
    ("gateway", "/admin/v1/organisations"),
    ("gateway", "/api/enrolment/v1/beneficiaries"),
]


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda forge: forge.__name__)
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: f"{target[0]}{target[1]}")
async def test_forged_tokens_are_refused(platform: Platform, forge: Forge, target: tuple[str, str]) -> None:
    where, path = target
    base = platform.enrolment_url if where == "enrolment" else platform.gateway_url
    token = await forge(platform)
    response = await platform.http.get(base + path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "invalid_token" in response.headers["www-authenticate"]


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: f"{target[0]}{target[1]}")
async def test_a_valid_token_in_the_query_string_is_refused(platform: Platform, target: tuple[str, str]) -> None:
    where, path = target
    base = platform.enrolment_url if where == "enrolment" else platform.gateway_url
    token = await platform.token(platform.admin)
    response = await platform.http.get(base + path, params={"access_token": token})
    assert response.status_code == 401
    # Even beside a good header: a token put in a URL is a leaked token.
    response = await platform.http.get(
        base + path, params={"access_token": token}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


async def test_the_real_token_passes_where_the_forgeries_fail(platform: Platform) -> None:
    token = await platform.token(platform.admin)
    for where, path in TARGETS:
        base = platform.enrolment_url if where == "enrolment" else platform.gateway_url
        response = await platform.http.get(base + path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, (where, path, response.text)


def test_pyjwt_itself_refuses_to_sign_hs256_with_a_public_key() -> None:
    public_pem = b"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"
    with pytest.raises(jwt.InvalidKeyError):
        jwt.encode({"a": 1}, public_pem, algorithm="HS256")
