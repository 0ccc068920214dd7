"""The gateway on a real port in front of the enrolment and training services (also on real ports), PostgreSQL
and Kafka.

Beside them: a stub service that echoes what it receives or answers slowly, a socket that answers garbage,
and a port where nothing listens, for the gateway's failure paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from enrolment_service.main import create_app as create_enrolment
from enrolment_service.settings import EnrolmentSettings
from gateway_service.cli import create_first_admin
from gateway_service.domain.scopes import vocabulary
from gateway_service.main import create_app as create_gateway
from gateway_service.service_layer.keys import decrypt_key
from gateway_service.settings import GatewaySettings
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.services import SERVICES
from hopekit.db.migrations import upgrade
from hopekit.identity.keys import SigningKey
from hopekit.settings import ServiceSettings
from training_service.main import create_app as create_training
from training_service.settings import TrainingSettings

GATEWAY_ROOT = Path(__file__).resolve().parents[2]
ENROLMENT_ROOT = GATEWAY_ROOT.parent / "services" / "enrolment"
TRAINING_ROOT = GATEWAY_ROOT.parent / "services" / "training"
ISSUER = "https://gateway.hope.test"

Upstream = TypeVar("Upstream", bound=ServiceSettings)

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def fresh_database(admin_url: str, migrations_root: Path) -> AsyncIterator[str]:
    name = f"hope_test_gw_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    url = f"{base}/{name}"
    try:
        await asyncio.to_thread(upgrade, migrations_root, url)
        yield url
    finally:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


def reserve_port() -> socket.socket:
    """A port of 127.0.0.1 held bound until a server listens on it (or, held unused, one where nothing answers).

    A port found free and bound later can be taken in between by any connection the machine makes (a test once
    lost the gateway's that way, and every test of the module after it).

    TCP_NODELAY, as uvicorn's own sockets have: asyncio gives it only to a socket made for TCP by name (not to one of
    protocol 0, nor to the connections it accepts), and without it every answer written in two parts (head, then
    body) waited ~40 ms for the caller's delayed ACK on each hop. Linux passes it on to accepted connections."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def port_of(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port


@contextlib.asynccontextmanager
async def serve(app: Any, port: int | socket.socket, http: str = "auto") -> AsyncIterator[uvicorn.Server]:
    """A real uvicorn server on 127.0.0.1:port (or on a reserved socket), in this event loop (``http``: uvicorn's
    HTTP protocol)."""
    sock, number = (port, port_of(port)) if isinstance(port, socket.socket) else (None, port)
    config = uvicorn.Config(app, host="127.0.0.1", port=number, log_level="warning", lifespan="auto", http=http)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock] if sock is not None else None))
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if not server.started:
        task.cancel()
        raise RuntimeError(f"server on port {number} did not start")
    try:
        yield server
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


GATEWAY = next(service for service in SERVICES if service.name == "gateway")

# Every path the stub service was asked for, so tests can tell what the gateway did not ask.
STUB_SEEN: list[str] = []


async def stub_service(scope: Scope, receive: Receive, send: Send) -> None:
    """/v1/echo answers what it received (headers, body size); /v1/slow takes its time; /v1/redirect sends the
    caller to /v1/echo with the service's own address."""
    if scope["type"] != "http":
        return
    STUB_SEEN.append(scope["path"])
    size = 0
    more = True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    if scope["path"].startswith("/v1/slow"):
        await asyncio.sleep(5)
    if scope["path"].startswith(("/v1/large", "/v1/cut-short")):
        await _sized_answer(scope, send)
        return
    if scope["path"].startswith("/v1/redirect"):
        # As a service's own trailing-slash redirect does: an absolute URL built from the Host it was sent.
        host, port = scope["server"]
        location = f"http://{host}:{port}/v1/echo?from=redirect".encode()
        await send({"type": "http.response.start", "status": 307, "headers": [(b"location", location)]})
        await send({"type": "http.response.body", "body": b""})
        return
    body = json.dumps(
        {
            "path": scope["path"],
            "query": scope["query_string"].decode(),
            "headers": {k.decode(): v.decode() for k, v in scope["headers"]},
            "body_size": size,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"x-upstream", b"stub")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _sized_answer(scope: Scope, send: Send) -> None:
    """/v1/large?size=N: N bytes of a known length, sent in 16 KiB pieces; /v1/cut-short: announces 100 KiB and
    stops after 1 KiB (the server then drops the connection)."""
    size = int(scope["query_string"].decode().partition("size=")[2] or 100 * 1024)
    headers = [(b"content-type", b"application/octet-stream"), (b"content-length", str(size).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    sent = 1024 if scope["path"].startswith("/v1/cut-short") else size
    for start in range(0, sent, 16 * 1024):
        piece = bytes(i % 251 for i in range(start, min(sent, start + 16 * 1024)))
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1024)
    writer.write(b"this is not HTTP\r\n\r\n")
    await writer.drain()
    writer.close()


@dataclass
class Credentials:
    client_id: str
    client_secret: str
    org_id: uuid.UUID


@dataclass
class Platform:
    gateway_url: str
    enrolment_url: str
    training_url: str
    gateway_app: FastAPI
    settings: GatewaySettings
    http: httpx.AsyncClient
    admin: Credentials
    _tokens: dict[str, str] = field(default_factory=dict)

    async def token(self, credentials: Credentials, **form: str) -> str:
        response = await self.http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": credentials.client_id,
                "client_secret": credentials.client_secret,
                **form,
            },
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    async def headers(self, credentials: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.token(credentials)}"}

    async def organisation(self, org_kind: OrgKind, name: str | None = None) -> uuid.UUID:
        response = await self.http.post(
            "/admin/v1/organisations",
            json={"name": name or f"{org_kind.value}-{uuid.uuid4().hex[:8]}", "org_kind": org_kind.value},
            headers=await self.headers(self.admin),
        )
        assert response.status_code == 201, response.text
        return uuid.UUID(response.json()["id"])

    @property
    def every_scope(self) -> list[str]:
        return sorted(vocabulary(self.settings.upstreams))

    async def client(
        self, org_kind: OrgKind, *roles: Role, org_id: uuid.UUID | None = None, scopes: list[str] | None = None
    ) -> Credentials:
        """``scopes`` None: every scope, for tests about something else; scope tests say which they give."""
        org_id = org_id or await self.organisation(org_kind)
        response = await self.http.post(
            f"/admin/v1/organisations/{org_id}/clients",
            json={
                "name": "partner-is",
                "roles": [role.value for role in roles],
                "scopes": self.every_scope if scopes is None else scopes,
            },
            headers=await self.headers(self.admin),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Credentials(body["client_id"], body["client_secret"], org_id)

    async def signing_key(self) -> SigningKey:
        async with self.gateway_app.state.uow_factory() as uow:
            stored = await uow.signing_keys.current()
        assert stored is not None
        return decrypt_key(stored, self.settings.encryption_secret())


def gateway_settings(
    database_url: str, kafka_bootstrap: str, port: int, upstreams: dict[str, str], **more: Any
) -> GatewaySettings:
    """The gateway as the integration tests start it. Its relay publishes on the test Kafka the organisations the
    services learn their partners from; the token endpoint's limits are lifted, every test asking for tokens from
    127.0.0.1 (those limits have their own tests)."""
    return GatewaySettings(
        database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        relay_poll_interval_s=0.2,
        environment="test",
        log_json=False,
        jwt_issuer=ISSUER,
        port=port,
        upstreams=upstreams,
        token_attempts_per_client=100_000,
        token_attempts_per_address=100_000,
        **more,
    )


def upstream_settings(kind: type[Upstream], database_url: str, kafka_bootstrap: str, gateway_port: int) -> Upstream:
    """A service behind that gateway: it trusts the tokens the gateway signs."""
    return kind(
        database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        jwt_issuer=ISSUER,
        jwks_url=f"http://127.0.0.1:{gateway_port}/.well-known/jwks.json",
        environment="test",
        log_json=False,
        relay_poll_interval_s=0.2,
    )


@pytest.fixture(scope="module")
async def platform(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[Platform]:
    sockets = [reserve_port() for _ in range(6)]
    gateway_port, enrolment_port, training_port, stub_port, garbage_port, dead_port = map(port_of, sockets)
    gateway_socket, enrolment_socket, training_socket, stub_socket, garbage_socket, _dead = sockets
    garbage = await asyncio.start_server(_garbage, sock=garbage_socket)
    async with (
        fresh_database(postgres_admin_url, GATEWAY_ROOT) as gateway_db,
        fresh_database(postgres_admin_url, ENROLMENT_ROOT) as enrolment_db,
        fresh_database(postgres_admin_url, TRAINING_ROOT) as training_db,
    ):
        settings = gateway_settings(
            gateway_db,
            kafka_bootstrap,
            gateway_port,
            {
                "enrolment": f"http://127.0.0.1:{enrolment_port}",
                "training": f"http://127.0.0.1:{training_port}",
                "stub": f"http://127.0.0.1:{stub_port}",
                "broken": f"http://127.0.0.1:{garbage_port}",
                "down": f"http://127.0.0.1:{dead_port}",
            },
            upstream_read_timeout_s=1.0,
            max_body_bytes=64 * 1024,
        )
        gateway_app = create_gateway(settings)
        enrolment_app = create_enrolment(
            upstream_settings(EnrolmentSettings, enrolment_db, kafka_bootstrap, gateway_port)
        )
        training_app = create_training(upstream_settings(TrainingSettings, training_db, kafka_bootstrap, gateway_port))
        async with (
            # With the HTTP protocol it is started with everywhere else.
            serve(gateway_app, gateway_socket, GATEWAY.http_protocol or "auto"),
            serve(enrolment_app, enrolment_socket),
            serve(training_app, training_socket),
            serve(stub_service, stub_socket),
        ):
            issued = await create_first_admin(
                gateway_app.state.uow_factory, "AKTO", "bootstrap-admin", vocabulary(settings.upstreams)
            )
            admin = Credentials(issued.client.client_id, issued.secret, issued.client.org_id)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=20) as http:
                yield Platform(
                    gateway_url=f"http://127.0.0.1:{gateway_port}",
                    enrolment_url=f"http://127.0.0.1:{enrolment_port}",
                    training_url=f"http://127.0.0.1:{training_port}",
                    gateway_app=gateway_app,
                    settings=settings,
                    http=http,
                    admin=admin,
                )
    garbage.close()
    await garbage.wait_closed()
    _dead.close()


Registration = Callable[..., dict[str, Any]]


@pytest.fixture
def registration() -> Registration:
    def make(**overrides: Any) -> dict[str, Any]:
        n = uuid.uuid4().int % 1_000_000_000
        body: dict[str, Any] = {
            "given_name": "Amina",
            "family_name": f"Haddad-{n}",
            "birth_date": "1994-03-12",
            "nationality": "SYR",
            "protection_status": "refugee",
            "track": "group",
            "ofii_number": f"{7_000_000_000 + n:010d}",
            "spoken_languages": ["ar", "en"],
        }
        body.update(overrides)
        return body

    return make
