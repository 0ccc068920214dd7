"""The proxy: header hygiene, request id and trace, streaming, size limit, and upstreams that fail."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Platform

pytestmark = pytest.mark.integration

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_identity_headers_are_stripped_and_request_id_and_trace_propagated(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    headers.update(
        {
            "X-Org-Id": "00000000-0000-0000-0000-000000000001",
            "X-Forwarded-User": "admin@akto.fr",
            "X-Forwarded-For": "10.0.0.1",
            "Forwarded": "for=10.0.0.1;by=evil",
            "X-User-Id": "root",
            "X-Principal": "operator",
            "X-Roles": "admin",
            "X-Remote-User": "root",
            "Remote-User": "root",
            "X-Request-ID": "req-12345",
            "traceparent": TRACEPARENT,
            "X-Forwarded-Prefix": "/somewhere/else",
            "X-Partner-Note": "kept",
        }
    )
    response = await platform.http.get("/api/stub/v1/echo/things?page=2&q=a%20b", headers=headers)
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["path"] == "/v1/echo/things"
    assert seen["query"] == "page=2&q=a%20b"
    received = seen["headers"]
    for name in (
        "x-org-id",
        "x-forwarded-user",
        "x-forwarded-for",
        "forwarded",
        "x-user-id",
        "x-principal",
        "x-roles",
        "x-remote-user",
        "remote-user",
    ):
        assert name not in received, name
    assert received["x-partner-note"] == "kept"
    assert received["authorization"].startswith("Bearer ")
    assert received["x-request-id"] == "req-12345"
    assert received["traceparent"] == TRACEPARENT
    # The gateway's own, not the caller's.
    assert received["x-forwarded-prefix"] == "/api/stub"
    assert response.headers["x-request-id"] == "req-12345"
    assert response.headers["traceparent"] == TRACEPARENT
    assert response.headers["x-upstream"] == "stub"
    assert response.headers.get_list("x-request-id") == ["req-12345"]


async def test_a_services_problem_names_the_path_the_caller_used(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    response = await platform.http.post(
        "/api/enrolment/v1/beneficiaries",
        content=b"{not json",
        headers={**headers, "Content-Type": "application/json", "X-Forwarded-Prefix": "/elsewhere"},
    )
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == "urn:hope:problem:malformed-json"
    assert problem["instance"] == "/api/enrolment/v1/beneficiaries"
    assert problem["request_id"] == response.headers["x-request-id"]


async def test_a_request_id_is_created_when_missing_and_given_to_the_upstream(platform: Platform) -> None:
    response = await platform.http.get("/api/stub/v1/echo", headers=await platform.headers(platform.admin))
    created = response.headers["x-request-id"]
    assert created
    assert response.json()["headers"]["x-request-id"] == created
    assert response.json()["headers"]["traceparent"] == response.headers["traceparent"]


async def test_request_bodies_are_streamed_through(platform: Platform) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(6):
            yield b"x" * 8 * 1024

    response = await platform.http.post(
        "/api/stub/v1/echo", content=chunks(), headers=await platform.headers(platform.admin)
    )
    assert response.status_code == 200, response.text
    assert response.json()["body_size"] == 48 * 1024


async def test_a_body_over_the_limit_is_refused_with_413(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    declared = await platform.http.post("/api/stub/v1/echo", content=b"x" * 70 * 1024, headers=headers)
    assert declared.status_code == 413
    assert declared.headers["content-type"].startswith("application/problem+json")

    async def endless() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"y" * 8 * 1024

    streamed = await platform.http.post("/api/stub/v1/echo", content=endless(), headers=headers)
    assert streamed.status_code == 413


async def test_a_large_answer_is_streamed_through_whole(platform: Platform) -> None:
    size = 300 * 1024
    headers = await platform.headers(platform.admin)
    async with platform.http.stream("GET", f"/api/stub/v1/large?size={size}", headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-length"] == str(size)
        received = b"".join([piece async for piece in response.aiter_bytes()])
    assert received == bytes(i % 251 for i in range(size))


async def test_an_answer_cut_short_is_a_bad_gateway(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    small = await platform.http.get("/api/stub/v1/cut-short?size=4096", headers=headers)
    # Read whole before answering: the caller gets a problem, not a truncated body.
    assert small.status_code == 502
    assert small.json()["service"] == "stub"
    # Streamed: the status is already sent, so the gateway drops the connection rather than end cleanly.
    with pytest.raises(httpx.RemoteProtocolError):
        await platform.http.get("/api/stub/v1/cut-short?size=300000", headers=headers)


async def test_a_slow_upstream_gives_504_naming_the_service(platform: Platform) -> None:
    started = time.monotonic()
    response = await platform.http.get("/api/stub/v1/slow", headers=await platform.headers(platform.admin))
    assert response.status_code == 504
    assert time.monotonic() - started < 4
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["service"] == "stub"
    assert problem["type"].endswith("upstream-timeout")


async def test_an_upstream_that_is_down_gives_503(platform: Platform) -> None:
    response = await platform.http.get("/api/down/v1/anything", headers=await platform.headers(platform.admin))
    assert response.status_code == 503
    assert response.json()["service"] == "down"
    assert "retry-after" in response.headers


async def test_a_broken_upstream_gives_502(platform: Platform) -> None:
    response = await platform.http.get("/api/broken/v1/anything", headers=await platform.headers(platform.admin))
    assert response.status_code == 502
    assert response.json()["service"] == "broken"


async def test_an_unknown_service_is_404_and_dot_segments_are_refused(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    assert (await platform.http.get("/api/nothing/v1/x", headers=headers)).status_code == 404
    response = await platform.http.get("/api/enrolment/v1/%2e%2e/health/live", headers=headers)
    assert response.status_code == 400


async def test_a_percent_encoded_service_name_is_refused_not_misrouted(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    response = await platform.http.get("/api/enr%6Flment/v1/sectors", headers=headers)
    assert response.status_code == 400
    assert response.json()["type"] == "urn:hope:problem:invalid-path"


async def test_the_gateway_own_api_paths_win_over_the_proxy(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    proxied = await platform.http.get("/api/enrolment/v1/sectors", headers=headers)
    assert proxied.status_code == 200
    # /api/beneficiaries/... is the gateway's composed overview, never a service called "beneficiaries".
    overview = await platform.http.get(f"/api/beneficiaries/{uuid.uuid4()}/overview", headers=headers)
    assert overview.status_code == 404
    assert overview.json()["type"] != "urn:hope:problem:unknown-service"


async def test_the_proxy_needs_a_token(platform: Platform) -> None:
    response = await platform.http.get("/api/enrolment/v1/beneficiaries", headers={"X-Request-ID": "req-401"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    # Answered like any route's problem: request id and trace kept, the challenge, the path as the instance.
    assert response.headers["x-request-id"] == "req-401"
    assert response.headers["traceparent"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem = response.json()
    assert problem["request_id"] == "req-401"
    assert problem["instance"] == "/api/enrolment/v1/beneficiaries"
    assert problem["type"].endswith("unauthenticated")


async def test_a_method_the_proxy_does_not_take_is_405(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    response = await platform.http.request("TRACE", "/api/stub/v1/echo", headers=headers)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_platform_documents_merge_every_service(platform: Platform) -> None:
    document = (await platform.http.get("/openapi.json")).json()
    paths = document["paths"]
    assert "/oauth/token" in paths
    assert "/api/enrolment/v1/beneficiaries" in paths
    assert "/api/enrolment/v1/beneficiaries/{beneficiary_id}/pathway/transitions" in paths
    assert "/api/beneficiaries/{beneficiary_id}/overview" in paths
    assert "EnrolmentBeneficiaryView" in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == (
        "/oauth/token"
    )
    text = (await platform.http.get("/openapi.json")).text
    assert '"#/components/schemas/BeneficiaryView"' not in text
    docs = await platform.http.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_the_event_catalogue_merges_the_services_own_documents(platform: Platform) -> None:
    async with httpx.AsyncClient() as direct:
        own = (await direct.get(f"{platform.training_url}/asyncapi")).json()
    assert own["asyncapi"].startswith("3.")
    assert {operation["action"] for operation in own["operations"].values()} == {"send", "receive"}

    document = (await platform.http.get("/asyncapi")).json()
    assert document["asyncapi"].startswith("3.")
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert {"hope.gateway.events", "hope.enrolment.events", "hope.training.events"} <= addresses
    names = {message["name"] for message in document["components"]["messages"].values()}
    assert "fr.hope.enrolment.beneficiary.registered.v1" in names
    # The gateway's own events are in the catalogue: the partner organisations every service projects.
    assert "gateway_send_hope_gateway_events" in document["operations"]
    assert "fr.hope.gateway.organisation.registered.v1" in names
    assert any(name.startswith("fr.hope.training.") for name in names)
    assert "training_receive_hope_enrolment_events" in document["operations"]
    # The stub answers with something else; the others (and services not built yet) not at all.
    unavailable = set(document["info"]["x-hope-unavailable-services"])
    assert {"broken", "down", "stub"} <= unavailable
    assert not {"enrolment", "training"} & unavailable


async def test_readers_cannot_use_admin_endpoints(platform: Platform) -> None:
    operator_writer = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.WRITER)
    partner_admin = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.ADMIN)
    for client in (operator_writer, partner_admin):
        headers = await platform.headers(client)
        assert (await platform.http.get("/admin/v1/organisations", headers=headers)).status_code == 403
        created = await platform.http.post(
            f"/admin/v1/organisations/{client.org_id}/clients",
            json={"name": "escalate", "roles": ["admin"]},
            headers=headers,
        )
        assert created.status_code == 403
        assert (
            await platform.http.post(f"/admin/v1/clients/{platform.admin.client_id}/revoke", headers=headers)
        ).status_code == 403
        assert (await platform.http.post("/admin/v1/signing-keys/rotate", headers=headers)).status_code == 403
    assert (await platform.http.get("/admin/v1/organisations")).status_code == 401
