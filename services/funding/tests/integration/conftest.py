"""HOPE funding running in-process against a fresh, migrated database (a SQLite file, then a real PostgreSQL),
fed enrolment's and training's events by hand."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from funding_service.adapters.tables import kit
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.events.incoming import CONSUMERS
from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_contracts import EventContract
from hope_infra.testing import migrated_database
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database

SERVICE_ROOT = Path(__file__).resolve().parents[2]
CONSUMER = "funding.ledger"


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    return TokenIssuer.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return migrated_database(request, tmp_path, SERVICE_ROOT)


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    upgrade(SERVICE_ROOT, postgres_database)
    return postgres_database


@pytest.fixture
async def client(database_url: str, issuer: TokenIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """The API alone (no Kafka): events stay in the outbox, where tests read them."""
    async with running(create_app(service_settings(FundingSettings, database_url, issuer))) as http:
        yield http


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


def received(contract: EventContract, source: str = "/hope/enrolment", event_id: str | None = None) -> ReceivedEvent:
    return ReceivedEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=contract.event_type,
        subject=contract.subject(),
        time=datetime.now(UTC),
        key=contract.partition_key(),
        data=contract.model_dump(mode="json"),
        topic=contract.topic(),
        partition=0,
        offset=0,
    )


async def deliver(database: Database, event: ReceivedEvent) -> bool:
    """What the consumer does with one record: inbox check and handler in one transaction."""
    return await process(CONSUMER, FundingUnitOfWork(database), CONSUMERS[0].handlers[event.type], event)
