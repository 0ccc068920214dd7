"""POST /oauth/token and the JWKS: who gets a token, what it says, and rotation of secrets and keys."""

from __future__ import annotations

import base64

import jwt
import pytest

from hope_contracts.vocabulary import OrgKind, Role

from .conftest import ISSUER, Credentials, Platform

pytestmark = pytest.mark.integration


async def test_good_credentials_give_a_signed_token_with_every_claim(platform: Platform) -> None:
    client = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, scopes=["enrolment:read"])
    response = await platform.http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret},
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["cache-control"]
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "enrolment:read"
    header = jwt.get_unverified_header(body["access_token"])
    jwks = (await platform.http.get("/.well-known/jwks.json")).json()
    assert header["alg"] == "ES256"
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    assert all("d" not in key for key in jwks["keys"])
    key = jwt.PyJWK({k: v for k, v in jwks["keys"][0].items()})
    claims = jwt.decode(body["access_token"], key=key, algorithms=["ES256"], audience="hope-platform", issuer=ISSUER)
    assert claims["sub"] == client.client_id
    assert claims["org_id"] == str(client.org_id)
    assert claims["org_kind"] == "immigration_office"
    assert claims["roles"] == ["writer"]
    assert claims["scope"] == "enrolment:read"
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]


async def test_http_basic_client_authentication_is_accepted(platform: Platform) -> None:
    client = await platform.client(OrgKind.TRAINING_PROVIDER, Role.READER)
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    response = await platform.http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200


async def _refused(platform: Platform, form: dict[str, str], status: int, error: str) -> None:
    response = await platform.http.post("/oauth/token", data=form)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["error"] == error
    assert "access_token" not in response.json()


async def test_bad_secret_is_refused(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    form = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": "wrong-secret"}
    await _refused(platform, form, 401, "invalid_client")


async def test_unknown_client_is_refused(platform: Platform) -> None:
    form = {"grant_type": "client_credentials", "client_id": "hope_nobody", "client_secret": "whatever"}
    await _refused(platform, form, 401, "invalid_client")


async def test_revoked_client_is_refused(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    revoked = await platform.http.post(
        f"/admin/v1/clients/{client.client_id}/revoke", headers=await platform.headers(platform.admin)
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    form = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret}
    await _refused(platform, form, 401, "invalid_client")


async def test_wrong_grant_type_is_refused(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    form = {"grant_type": "password", "client_id": client.client_id, "client_secret": client.client_secret}
    await _refused(platform, form, 400, "unsupported_grant_type")
    await _refused(platform, {"client_id": client.client_id}, 400, "invalid_request")


async def test_a_scope_beyond_the_allowed_ones_is_refused(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER, scopes=["stub:read"])
    form = {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "scope": "stub:read enrolment:read",
    }
    await _refused(platform, form, 400, "invalid_scope")


async def test_a_deactivated_organisation_gets_no_token(platform: Platform) -> None:
    client = await platform.client(OrgKind.SUPPORT_PROVIDER, Role.WRITER)
    changed = await platform.http.patch(
        f"/admin/v1/organisations/{client.org_id}",
        json={"active": False},
        headers=await platform.headers(platform.admin),
    )
    assert changed.status_code == 200
    form = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret}
    await _refused(platform, form, 401, "invalid_client")


async def test_secret_rotation_retires_the_old_secret(platform: Platform) -> None:
    client = await platform.client(OrgKind.TRAINING_PROVIDER, Role.WRITER)
    rotated = await platform.http.post(
        f"/admin/v1/clients/{client.client_id}/rotate-secret", headers=await platform.headers(platform.admin)
    )
    assert rotated.status_code == 200
    new_secret = rotated.json()["client_secret"]
    assert new_secret != client.client_secret
    form = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret}
    await _refused(platform, form, 401, "invalid_client")
    await platform.token(Credentials(client.client_id, new_secret, client.org_id))
    listed = await platform.http.get(
        f"/admin/v1/organisations/{client.org_id}/clients", headers=await platform.headers(platform.admin)
    )
    (view,) = listed.json()["items"]
    assert view["last_used_at"] is not None
    assert "client_secret" not in view
    assert "secret_hash" not in view


async def test_key_rotation_keeps_tokens_of_the_previous_key_valid(platform: Platform) -> None:
    reader = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    old_token = await platform.token(reader)
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    # The enrolment service has the old key cached from the gateway's JWKS.
    before = await platform.http.get(
        "/api/enrolment/v1/beneficiaries", headers={"Authorization": f"Bearer {old_token}"}
    )
    assert before.status_code == 200
    rotated = await platform.http.post("/admin/v1/signing-keys/rotate", headers=await platform.headers(platform.admin))
    assert rotated.status_code == 200
    new_kid = rotated.json()["kid"]
    assert new_kid != old_kid
    kids = {key["kid"] for key in (await platform.http.get("/.well-known/jwks.json")).json()["keys"]}
    assert {old_kid, new_kid} <= kids
    new_token = await platform.token(reader)
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    for token in (old_token, new_token):
        # The gateway's own verification accepts both.
        response = await platform.http.get(
            f"/api/beneficiaries/{reader.org_id}/overview", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code in {200, 404}, response.text
    after = await platform.http.get("/api/enrolment/v1/beneficiaries", headers={"Authorization": f"Bearer {old_token}"})
    assert after.status_code == 200
