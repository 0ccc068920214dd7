"""POST /oauth/revoke (RFC 7009): a client withdraws one of its own tokens; that token alone is refused at once."""

from __future__ import annotations

import httpx
import pytest

from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Credentials, Platform

pytestmark = pytest.mark.integration


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _revoke(platform: Platform, client: Credentials, token: str, **extra: str) -> httpx.Response:
    form = {"token": token, "client_id": client.client_id, "client_secret": client.client_secret, **extra}
    return await platform.http.post("/oauth/revoke", data=form)


async def test_a_client_revokes_one_of_its_tokens_and_only_that_one(platform: Platform) -> None:
    client = await platform.client(OrgKind.TRAINING_PROVIDER, Role.WRITER)
    leaked, kept = await platform.token(client), await platform.token(client)
    assert (await platform.http.get("/api/stub/v1/echo", headers=_bearer(leaked))).status_code == 200

    revoked = await _revoke(platform, client, leaked, token_type_hint="access_token")
    assert revoked.status_code == 200
    assert revoked.content == b""
    assert revoked.headers["cache-control"] == "no-store"

    refused = await platform.http.get("/api/stub/v1/echo", headers=_bearer(leaked))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "token revoked"
    assert (await platform.http.get("/api/stub/v1/echo", headers=_bearer(kept))).status_code == 200
    # The client itself is untouched: it still gets new tokens, and they work.
    fresh = await platform.token(client)
    assert (await platform.http.get("/api/stub/v1/echo", headers=_bearer(fresh))).status_code == 200
    # Revoking it again, or a token that is not one, changes nothing and says so the same way.
    assert (await _revoke(platform, client, leaked)).status_code == 200
    assert (await _revoke(platform, client, "not-a-token")).status_code == 200


async def test_http_basic_client_authentication_is_accepted(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    token = await platform.token(client)
    response = await platform.http.post(
        "/oauth/revoke", data={"token": token}, auth=(client.client_id, client.client_secret)
    )
    assert response.status_code == 200
    assert (await platform.http.get("/api/stub/v1/echo", headers=_bearer(token))).status_code == 401


async def test_a_client_cannot_revoke_another_clients_token(platform: Platform) -> None:
    owner = await platform.client(OrgKind.TRAINING_PROVIDER, Role.WRITER)
    other = await platform.client(OrgKind.TRAINING_PROVIDER, Role.WRITER)
    token = await platform.token(owner)
    response = await _revoke(platform, other, token)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["error"] == "unauthorized_client"
    assert (await platform.http.get("/api/stub/v1/echo", headers=_bearer(token))).status_code == 200


async def test_bad_client_authentication_or_a_missing_token_is_refused(platform: Platform) -> None:
    client = await platform.client(OrgKind.TRAINING_PROVIDER, Role.WRITER)
    token = await platform.token(client)
    wrong = Credentials(client.client_id, "not-the-secret", client.org_id)
    bad_secret = await _revoke(platform, wrong, token)
    assert bad_secret.status_code == 401
    assert bad_secret.json()["error"] == "invalid_client"
    assert "www-authenticate" in bad_secret.headers
    anonymous = await platform.http.post("/oauth/revoke", data={"token": token})
    assert anonymous.status_code == 401
    missing = await platform.http.post(
        "/oauth/revoke", data={"client_id": client.client_id, "client_secret": client.client_secret}
    )
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"
    too_long = await _revoke(platform, client, "x" * 10_000)
    assert too_long.status_code == 400
    # None of these revoked anything.
    assert (await platform.http.get("/api/stub/v1/echo", headers=_bearer(token))).status_code == 200
