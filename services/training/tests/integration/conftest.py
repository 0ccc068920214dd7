"""Training running in-process against a fresh database (a SQLite file, or a real PostgreSQL), fed
enrolment events by hand."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from hope_contracts import EventContract
from hope_infra.testing import ServiceUnderTest
from hopekit.db.engine import make_engine
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from training_service.adapters.tables import kit
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.events.incoming import CONSUMERS
from training_service.main import create_app
from training_service.settings import TrainingSettings

if TYPE_CHECKING:
    from .programme import Programme

SERVICE_ROOT = Path(__file__).resolve().parents[2]
CONSUMER = "training.enrolment-projection"

SERVICE = ServiceUnderTest(SERVICE_ROOT, TrainingSettings, create_app)
settings_for = SERVICE.settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return SERVICE


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    """The partners around training: enrolment's events by hand, the rest over HTTP."""
    from .programme import Programme  # it builds on deliver() below

    return Programme(client, issuer, database)


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


async def deliver(database: Database, event: ReceivedEvent) -> bool:
    """What the consumer does with one record: inbox check and handler in one transaction."""
    return await process(CONSUMER, TrainingUnitOfWork(database), CONSUMERS[0].handlers[event.type], event)
