"""The proxy's edges: which services exist, paths that try to climb out of a service, header names that could be
read as others, redirects that would reveal where the services are, and the import route's own body limit."""

from __future__ import annotations

import asyncio

import pytest

from gateway_service.settings import GatewaySettings
from hope_contracts import registry
from training_service.settings import TrainingSettings

from .conftest import Platform

pytestmark = pytest.mark.integration


async def _raw(platform: Platform, head: bytes) -> bytes:
    """One request written byte for byte (no client normalises its path), and the whole answer."""
    port = int(platform.gateway_url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head)
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


async def test_a_service_the_platform_does_not_run_is_404_not_503(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    planned = [service.name for service in registry.services() if service.planned]
    for service in [*planned, "nosuch"]:
        response = await platform.http.get(f"/api/{service}/v1/anything", headers=headers)
        assert response.status_code == 404, (service, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == "urn:hope:problem:unknown-service"


def test_the_gateway_routes_by_default_only_to_the_services_the_platform_runs() -> None:
    built = {service.name for service in registry.built()} - {"gateway"}
    assert set(GatewaySettings(environment="test").upstreams) == built


@pytest.mark.parametrize(
    "path",
    [
        "/api/stub/v1/..%2fhealth/live",
        "/api/stub/v1/%2e%2e%2fhealth/live",
        "/api/stub/v1/%2E%2E%2Fhealth",
        "/api/stub/v1/..;/health/live",
        "/api/stub/v1/..\\health/live",
        "/api/stub/v1/..%5chealth/live",
        "/api/stub/v1/echo/.%2e/..%2f",
        "/api/stub/v1/%2e;/echo",
    ],
)
async def test_encoded_dot_segments_are_refused_before_routing(platform: Platform, path: str) -> None:
    token = (await platform.headers(platform.admin))["Authorization"]
    answer = await _raw(
        platform,
        f"GET {path} HTTP/1.1\r\nhost: gw\r\nauthorization: {token}\r\nconnection: close\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"invalid-path" in answer


async def test_header_names_with_underscores_never_reach_a_service(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    response = await platform.http.get(
        "/api/stub/v1/echo",
        headers={**headers, "x_forwarded_prefix": "/evil", "X_Org_Id": "someone", "x-plain": "kept"},
    )
    assert response.status_code == 200
    received = response.json()["headers"]
    assert received["x-forwarded-prefix"] == "/api/stub"
    assert not any("_" in name for name in received)
    assert received["x-plain"] == "kept"


async def test_a_transfer_encoding_written_with_an_underscore_is_not_passed_on(platform: Platform) -> None:
    token = (await platform.headers(platform.admin))["Authorization"]
    answer = await _raw(
        platform,
        f"POST /api/stub/v1/echo HTTP/1.1\r\nhost: gw\r\nauthorization: {token}\r\ncontent-length: 5\r\n"
        "transfer_encoding: chunked\r\nconnection: close\r\n\r\nhello".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"transfer_encoding" not in answer
    assert b'"body_size": 5' in answer


async def test_the_trailing_slash_redirect_never_uses_the_callers_host(platform: Platform) -> None:
    token = (await platform.headers(platform.admin))["Authorization"]
    answer = await _raw(
        platform,
        "GET /admin/v1/organisations/?limit=5 HTTP/1.1\r\nhost: evil.example\r\n"
        f"authorization: {token}\r\nconnection: close\r\n\r\n".encode(),
    )
    head = answer.split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 307 ")
    assert b"evil.example" not in head
    assert b"\r\nlocation: /admin/v1/organisations?limit=5\r\n" in head + b"\r\n"


async def test_an_unknown_path_with_a_trailing_slash_is_still_404(platform: Platform) -> None:
    response = await platform.http.get("/admin/v1/nothing-here/")
    assert response.status_code == 404


async def test_an_upstream_redirect_does_not_reveal_where_the_service_is(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    response = await platform.http.get("/api/stub/v1/redirect", headers=headers)
    assert response.status_code == 307
    assert response.headers["location"] == "/api/stub/v1/echo?from=redirect"


async def test_a_real_services_own_slash_redirect_points_back_through_the_gateway(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    response = await platform.http.get("/api/enrolment/v1/sectors/", headers=headers)
    if response.status_code in (301, 302, 307, 308):
        assert response.headers["location"].startswith("/api/enrolment/v1/sectors")
    assert "127.0.0.1" not in response.headers.get("location", "")


async def test_an_attendance_import_larger_than_the_general_body_limit_reaches_training(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    # Over the gateway's general limit under test (64 KiB), far under the import's own.
    response = await platform.http.post(
        "/api/training/v1/attendance-imports",
        content=b"x" * 200 * 1024,
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert response.status_code != 413, response.text
    other = await platform.http.post("/api/stub/v1/echo", content=b"x" * 200 * 1024, headers=headers)
    assert other.status_code == 413


def test_the_import_limit_is_the_same_at_the_gateway_as_in_training() -> None:
    assert GatewaySettings(environment="test").import_max_bytes == TrainingSettings().import_max_bytes
