"""HOPE support running in-process against a fresh, migrated database (a SQLite file, then a real PostgreSQL),
fed enrolment's events by hand, with a key-encryption key generated for the test run."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from hope_contracts import EventContract
from hope_infra.testing import migrated_database
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database
from support_service.adapters.envelope import KeyEncryptionKey
from support_service.adapters.tables import kit
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.events.incoming import CONSUMERS
from support_service.main import create_app
from support_service.settings import SupportSettings

SERVICE_ROOT = Path(__file__).resolve().parents[2]
CONSUMER = "support.enrolment-projection"


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    return TokenIssuer.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def kek() -> str:
    """A key-encryption key made for this test run, never a fixed one."""
    return base64.b64encode(KeyEncryptionKey.generate()).decode()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return migrated_database(request, tmp_path, SERVICE_ROOT)


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    upgrade(SERVICE_ROOT, postgres_database)
    return postgres_database


def settings_for(database_url: str, issuer: TokenIssuer, kafka: str | None = None, **extra: Any) -> SupportSettings:
    return service_settings(SupportSettings, database_url, issuer, kafka, **extra)


@pytest.fixture
async def client(database_url: str, issuer: TokenIssuer, kek: str) -> AsyncIterator[httpx.AsyncClient]:
    """The API alone (no Kafka): events stay in the outbox, where tests read them."""
    async with running(create_app(settings_for(database_url, issuer, kek=kek))) as http:
        yield http


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


def received(contract: EventContract, event_id: str | None = None) -> ReceivedEvent:
    return ReceivedEvent(
        id=event_id or str(uuid.uuid4()),
        source="/hope/enrolment",
        type=contract.event_type,
        subject=contract.subject(),
        time=datetime.now(UTC),
        key=contract.partition_key(),
        data=contract.model_dump(mode="json"),
        topic="hope.enrolment.events",
        partition=0,
        offset=0,
    )


async def deliver(database: Database, event: ReceivedEvent | EventContract) -> bool:
    """What the consumer does with one record: inbox check and handler in one transaction."""
    record = event if isinstance(event, ReceivedEvent) else received(event)
    return await process(CONSUMER, SupportUnitOfWork(database), CONSUMERS[0].handlers[record.type], record)
