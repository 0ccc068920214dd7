"""Test helpers for services: signing keys, tokens, and an app running in-process with its lifespan."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import uvloop
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from hope_contracts import EventContract, gateway
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.events import cloudevent
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process
from hopekit.identity.keys import SigningKey, generate_signing_key
from hopekit.identity.tokens import mint_token
from hopekit.partners import partner_consumer
from hopekit.settings import ServiceSettings
from hopekit.uow import UnitOfWork

if TYPE_CHECKING:
    import pytest
    from sqlalchemy import Table

S = TypeVar("S", bound=ServiceSettings)

TEST_ISSUER = "https://gateway.hope.test"
TEST_AUDIENCE = "hope-platform"


@dataclass(frozen=True)
class TokenIssuer:
    """Signs tokens the way the gateway will; its public keys sit in ``jwks_path``."""

    key: SigningKey
    jwks_path: Path

    @classmethod
    def create(cls, directory: Path) -> TokenIssuer:
        key = generate_signing_key()
        path = directory / "jwks.json"
        path.write_text(json.dumps({"keys": [key.public_jwk()]}))
        return cls(key=key, jwks_path=path)

    def token(
        self,
        org_kind: OrgKind,
        *roles: Role,
        org_id: uuid.UUID | None = None,
        subject: str = "test-client",
        scopes: Iterable[str] = (),
    ) -> str:
        return mint_token(
            self.key,
            issuer=TEST_ISSUER,
            audience=TEST_AUDIENCE,
            subject=subject,
            org_id=org_id or uuid.uuid4(),
            org_kind=org_kind,
            roles=roles,
            scopes=scopes,
        )

    def headers(self, org_kind: OrgKind, *roles: Role, org_id: uuid.UUID | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(org_kind, *roles, org_id=org_id)}"}


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan (engine, relay, consumers) and a client talking to it in-process."""
    async with LifespanManager(app, startup_timeout=30, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as client:
            yield client


@contextmanager
def statements_sent(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` sends meanwhile (an executemany counts once: one round trip; BEGIN and COMMIT
    aside): what a test counts to hold a path to its round trips."""
    sent: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


def service_settings(
    settings_class: type[S], database_url: str, issuer: TokenIssuer, kafka: str | None = None, **extra: Any
) -> S:
    """A service's settings under test: it trusts ``issuer``'s keys, logs plain text, and polls and retries fast
    so that tests wait milliseconds, not the production intervals. Scheduled jobs stay off (a test runs a job
    itself, at the day it chooses; ``scheduled_jobs_enabled=True`` for one that tests the schedule)."""
    defaults: dict[str, Any] = {
        "environment": "test",
        "log_json": False,
        "relay_poll_interval_s": 0.2,
        "consumer_backoff_s": 0.01,
        "scheduled_jobs_enabled": False,
    }
    return settings_class(
        database_url=database_url,
        kafka_bootstrap=kafka,
        jwt_issuer=TEST_ISSUER,
        jwt_audience=TEST_AUDIENCE,
        jwt_public_keys_path=issuer.jwks_path,
        **{**defaults, **extra},
    )


def on_both_event_loops(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """For a conftest (``pytest_asyncio_loop_factories = on_both_event_loops``): its folder's tests run on asyncio's
    own loop and on uvloop, which the services run on. Code that meets transports directly needs both: uvloop's
    are not subclasses of asyncio's, and they differ in when they write and read."""
    return {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}


def kafka_record(
    contract: EventContract,
    *,
    event_id: uuid.UUID | None = None,
    sequence: int | None = None,
    time: datetime | None = None,
    payload: bytes | None = None,
) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers of the Kafka record the contract's service relay would send (its source, its type,
    keyed by person or aggregate): another service's event, for a test or a benchmark to put on Kafka.
    ``payload`` replaces the contract's JSON (a malformed or tampered event)."""
    return cloudevent.encode(
        event_id=event_id or uuid.uuid4(),
        source=f"/hope/{contract.service()}",
        type_=contract.event_type,
        subject=contract.subject(),
        time=time or datetime.now(UTC),
        key=contract.partition_key(),
        payload=contract.model_dump_json().encode() if payload is None else payload,
        sequence=sequence,
    )


def gateway_event(
    contract: gateway.OrganisationRegistered | gateway.OrganisationActivated | gateway.OrganisationDeactivated,
) -> ReceivedEvent:
    """An organisation event as a service's consumer receives it from the gateway's topic."""
    return ReceivedEvent(
        id=str(uuid.uuid4()),
        source="/hope/gateway",
        type=contract.event_type,
        subject=contract.subject(),
        time=datetime.now(UTC),
        key=contract.partition_key(),
        data=contract.model_dump(mode="json"),
        topic=contract.topic(),
        partition=0,
        offset=0,
    )


async def seed_partners(
    uow_factory: Callable[[], UnitOfWork],
    table: Table,
    partners: Mapping[uuid.UUID, OrgKind],
    *,
    active: bool = True,
    consumer: str = "test.gateway-partners",
) -> None:
    """Registers organisations in a service's partner projection the way the gateway's events do: each one goes
    through the kit's own consumer path (inbox, ordering, the projection's use case)."""
    spec = partner_consumer(table)
    for org_id, kind in partners.items():
        contract = gateway.OrganisationRegistered(
            organisation_id=org_id, org_kind=kind.value, active=active, occurred_at=datetime.now(UTC)
        )
        await process(consumer, uow_factory(), spec.handlers[contract.event_type], gateway_event(contract))
