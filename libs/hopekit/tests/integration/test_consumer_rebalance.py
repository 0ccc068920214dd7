"""A consumer group dealt again while a member applies a poll (a replica joining), on real Kafka and PostgreSQL:
the member keeps consuming, and every event is applied once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import REGISTRY
from sqlalchemy import Column, Integer, String, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import EventContract
from hope_infra.kafka import ensure_topics
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.events import cloudevent
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.consumer import EventConsumer
from hopekit.events.kafka import DLQ_TOPIC, make_producer
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.uow import Database, UnitOfWork

pytestmark = pytest.mark.integration

metadata = make_metadata()
kit = add_kit_tables(metadata)
applied = Table(
    "rebalance_applied",
    metadata,
    Column("thing_id", String(64), primary_key=True),
    Column("times", Integer, nullable=False),
)


class ThingDealt(EventContract):
    event_type: ClassVar[str] = "fr.hope.kittest.thing.dealt.v1"
    subject_field: ClassVar[str] = "thing_id"

    thing_id: uuid.UUID
    occurred_at: datetime


async def count_things(uow: UnitOfWork, events: Sequence[ReceivedEvent]) -> None:
    for event in events:
        statement = insert(applied).values(thing_id=event.data["thing_id"], times=1)
        await uow.connection.execute(
            statement.on_conflict_do_update(index_elements=["thing_id"], set_={"times": applied.c.times + 1})
        )


async def noop(uow: UnitOfWork, event: ThingDealt) -> None:
    raise AssertionError("the batch path applies these events")


class HeldUnitOfWork(UnitOfWork):
    """The first member's first poll waits, before its transaction begins, until the test lets it go."""

    held = asyncio.Event()
    release = asyncio.Event()

    async def __aenter__(self) -> HeldUnitOfWork:
        if not self.release.is_set():
            self.held.set()
            await self.release.wait()
        await super().__aenter__()
        return self


@pytest.fixture
async def database(postgres_database: str) -> AsyncIterator[Database]:
    engine = create_async_engine(postgres_database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = make_producer(kafka_bootstrap, client_id="kit-rebalance-test")
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def publish(producer: AIOKafkaProducer, topic: str, count: int) -> set[str]:
    things = [uuid.uuid4() for _ in range(count)]
    for thing in things:
        contract = ThingDealt(thing_id=thing, occurred_at=datetime.now(UTC))
        key, value, headers = cloudevent.encode(
            event_id=uuid.uuid4(),
            source="/hope/kittest",
            type_=contract.event_type,
            subject=str(thing),
            time=contract.occurred_at,
            key=str(thing),
            payload=contract.model_dump_json().encode(),
        )
        await producer.send(topic, value=value, key=key, headers=headers)
    await producer.flush()
    return {str(thing) for thing in things}


async def counted(database: Database) -> dict[str, int]:
    async with database.engine.connect() as connection:
        return {row.thing_id: row.times for row in await connection.execute(select(applied))}


async def wait_for(condition: Any, within_s: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def test_a_member_whose_partitions_are_dealt_again_during_a_poll_keeps_consuming(
    database: Database, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    topic = f"hope.kittest-{uuid.uuid4().hex[:8]}.events"
    await ensure_topics(kafka_bootstrap, [topic, DLQ_TOPIC], partitions=4)
    group = f"kittest-{uuid.uuid4().hex[:8]}"
    HeldUnitOfWork.held, HeldUnitOfWork.release = asyncio.Event(), asyncio.Event()

    def member(uow_class: type[UnitOfWork]) -> EventConsumer[UnitOfWork]:
        return EventConsumer(
            name=group,
            topics=[topic],
            bootstrap=kafka_bootstrap,
            uow_factory=lambda: uow_class(database),
            handlers=ConsumerSpec("things", [on(ThingDealt, noop)]).handlers,
            dlq_producer=producer,
            batch=count_things,
        )

    first_things = await publish(producer, topic, 40)
    first, second = member(HeldUnitOfWork), member(UnitOfWork)
    first_task = asyncio.create_task(first.run())
    second_task: asyncio.Task[None] | None = None
    try:
        # The first member holds every partition and has polled; the second joins meanwhile and is dealt some of
        # them, which it reads from the beginning (nothing committed yet) and applies.
        await asyncio.wait_for(HeldUnitOfWork.held.wait(), 60)
        second_task = asyncio.create_task(second.run())

        async def second_applied_some() -> bool:
            return second.processed_total > 0

        await wait_for(second_applied_some)
        left_before = REGISTRY.get_sample_value("hope_consumer_offsets_left_total", {"consumer": group}) or 0.0
        HeldUnitOfWork.release.set()

        # The first member applies its poll (the second's events among them are left out by the inbox), finds some
        # of its partitions gone, and goes on: more events are applied by both.
        later_things = await publish(producer, topic, 40)
        everything = first_things | later_things

        async def all_applied() -> bool:
            return set(await counted(database)) == everything

        await wait_for(all_applied)
        assert not first_task.done(), "the first member stopped"
        assert set((await counted(database)).values()) == {1}
        left = REGISTRY.get_sample_value("hope_consumer_offsets_left_total", {"consumer": group}) or 0.0
        assert left > left_before, "the first member's poll had partitions dealt to the second"
        assert first.processed_total > 0
        assert first.processed_total + second.processed_total == len(everything)
    finally:
        for task in (first_task, second_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, 30)
