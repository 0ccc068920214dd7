"""On a real broker: a relay whose producer died behind its back starts a new one and drains the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime
from functools import partial
from typing import ClassVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import EventContract
from hope_infra.kafka import ensure_topics
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.events.kafka import RenewingProducer, make_producer
from hopekit.events.relay import OutboxRelay
from hopekit.uow import Database, UnitOfWork

pytestmark = pytest.mark.integration

TOPIC = "hope.kitrecovery.events"
metadata = make_metadata()
kit = add_kit_tables(metadata)


class Recovered(EventContract):
    event_type: ClassVar[str] = "fr.hope.kitrecovery.thing.recovered.v1"
    subject_field: ClassVar[str] = "thing_id"

    thing_id: uuid.UUID
    occurred_at: datetime


async def test_a_relay_whose_producer_was_closed_makes_a_new_one_and_drains(
    postgres_database: str, kafka_bootstrap: str
) -> None:
    engine = create_async_engine(postgres_database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await ensure_topics(kafka_bootstrap, [TOPIC], partitions=3)
    database = Database(engine=engine, tables=kit)
    producer = RenewingProducer(partial(make_producer, kafka_bootstrap, "kit-recovery-test"))
    await producer.start()
    first = producer.current
    await first.stop()  # as if its sender had died: nothing sent through it can be delivered any more
    async with UnitOfWork(database) as uow:
        uow.publish(*(Recovered(thing_id=uuid.uuid4(), occurred_at=datetime.now(UTC)) for _ in range(20)))
        await uow.commit()
    relay = OutboxRelay(engine, kit.outbox, producer, "/hope/kitrecovery", wakeup=database.wakeup, poll_interval_s=0.1)
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(300):
            if relay.published_total == 20:
                break
            await asyncio.sleep(0.1)
        async with engine.connect() as connection:
            waiting = await connection.scalar(
                select(func.count()).select_from(kit.outbox).where(kit.outbox.c.published_at.is_(None))
            )
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await producer.stop()
        await engine.dispose()

    assert waiting == 0
    assert producer.renewals >= 1
