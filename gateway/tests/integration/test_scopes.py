"""Scopes at the edge: <service>:read for GET/HEAD/OPTIONS, <service>:write for the rest; the vocabulary is closed."""

from __future__ import annotations

import httpx
import jwt
import pytest

from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Platform

pytestmark = pytest.mark.integration


def _assert_insufficient(response: httpx.Response, scope: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == (f'Bearer realm="hope", error="insufficient_scope", scope="{scope}"')
    problem = response.json()
    assert problem["type"] == "urn:hope:problem:insufficient-scope"
    assert problem["status"] == 403
    assert problem["required_scopes"] == [scope]
    assert scope in problem["detail"]


async def test_reading_needs_the_read_scope_and_changing_the_write_scope(platform: Platform) -> None:
    reader = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, scopes=["stub:read"])
    headers = await platform.headers(reader)
    for method in ("GET", "HEAD", "OPTIONS"):
        response = await platform.http.request(method, "/api/stub/v1/echo", headers=headers)
        assert response.status_code == 200, (method, response.text)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = await platform.http.request(method, "/api/stub/v1/echo", headers=headers, content=b"{}")
        _assert_insufficient(response, "stub:write")

    writer = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, scopes=["stub:write"])
    headers = await platform.headers(writer)
    assert (await platform.http.post("/api/stub/v1/echo", headers=headers, content=b"{}")).status_code == 200
    _assert_insufficient(await platform.http.get("/api/stub/v1/echo", headers=headers), "stub:read")


async def test_one_services_scope_does_not_open_another(platform: Platform) -> None:
    client = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, scopes=["stub:read", "stub:write"])
    headers = await platform.headers(client)
    _assert_insufficient(await platform.http.get("/api/enrolment/v1/beneficiaries", headers=headers), "enrolment:read")
    nothing = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, scopes=[])
    _assert_insufficient(
        await platform.http.get("/api/stub/v1/echo", headers=await platform.headers(nothing)), "stub:read"
    )


async def test_a_token_asked_with_fewer_scopes_is_limited_to_them(platform: Platform) -> None:
    client = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, scopes=["stub:read", "stub:write"])
    token = await platform.token(client, scope="stub:read")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await platform.http.get("/api/stub/v1/echo", headers=headers)).status_code == 200
    _assert_insufficient(await platform.http.post("/api/stub/v1/echo", headers=headers), "stub:write")


async def test_an_unknown_service_is_still_404_whatever_the_scopes(platform: Platform) -> None:
    client = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, scopes=[])
    response = await platform.http.get("/api/nothing/v1/x", headers=await platform.headers(client))
    assert response.status_code == 404
    assert response.json()["type"] == "urn:hope:problem:unknown-service"


async def test_a_client_with_an_unknown_scope_is_refused(platform: Platform) -> None:
    admin = await platform.headers(platform.admin)
    org_id = await platform.organisation(OrgKind.EMPLOYER)
    for scopes in (["enrolment:read", "enrolment:admin"], ["payroll:read"], ["enrolment"]):
        response = await platform.http.post(
            f"/admin/v1/organisations/{org_id}/clients",
            json={"name": "partner-is", "roles": ["reader"], "scopes": scopes},
            headers=admin,
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["type"] == "urn:hope:problem:unknown-scope"
        unknown = sorted(set(scopes) - {"enrolment:read"})
        assert [error["message"] for error in problem["errors"]] == unknown
        assert all(error["field"] == "scopes" for error in problem["errors"])
        assert "enrolment:read" in problem["known_scopes"]
    listed = await platform.http.get(f"/admin/v1/organisations/{org_id}/clients", headers=admin)
    assert listed.json()["items"] == []
    malformed = await platform.http.post(
        f"/admin/v1/organisations/{org_id}/clients",
        json={"name": "partner-is", "roles": ["reader"], "scopes": ["Not A Scope!"]},
        headers=admin,
    )
    assert malformed.status_code == 422
    assert malformed.json()["type"] == "urn:hope:problem:validation"


async def test_changing_a_clients_scopes_checks_them_and_denies_older_tokens(platform: Platform) -> None:
    admin = await platform.headers(platform.admin)
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER, scopes=["stub:read", "stub:write"])
    old = {"Authorization": f"Bearer {await platform.token(client)}"}
    assert (await platform.http.post("/api/stub/v1/echo", headers=old)).status_code == 200

    refused = await platform.http.patch(
        f"/admin/v1/clients/{client.client_id}", json={"scopes": ["stub:read", "stub:delete"]}, headers=admin
    )
    assert refused.status_code == 422
    assert refused.json()["type"] == "urn:hope:problem:unknown-scope"
    assert (await platform.http.post("/api/stub/v1/echo", headers=old)).status_code == 200

    changed = await platform.http.patch(
        f"/admin/v1/clients/{client.client_id}", json={"scopes": ["stub:read"]}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["scopes"] == ["stub:read"]
    denied = await platform.http.get("/api/stub/v1/echo", headers=old)
    assert denied.status_code == 401
    assert denied.json()["detail"] == "token revoked"
    new = {"Authorization": f"Bearer {await platform.token(client)}"}
    assert (await platform.http.get("/api/stub/v1/echo", headers=new)).status_code == 200
    _assert_insufficient(await platform.http.post("/api/stub/v1/echo", headers=new), "stub:write")
    unknown = await platform.http.patch("/admin/v1/clients/hope_nobody", json={"scopes": []}, headers=admin)
    assert unknown.status_code == 404


async def test_the_first_admin_has_every_scope(platform: Platform) -> None:
    token = await platform.token(platform.admin)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert sorted(claims["scope"].split()) == platform.every_scope
    assert {"enrolment:read", "enrolment:write", "training:read", "training:write"} <= set(platform.every_scope)


async def test_the_platform_document_lists_the_scopes(platform: Platform) -> None:
    document = (await platform.http.get("/openapi.json")).json()
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert set(flow["scopes"]) == set(platform.every_scope)
    listing = document["paths"]["/api/enrolment/v1/beneficiaries"]
    assert listing["get"]["security"][0] == {"oauth2": ["enrolment:read"]}
    assert listing["post"]["security"][0] == {"oauth2": ["enrolment:write"]}
