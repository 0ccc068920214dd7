"""The event pipeline on real PostgreSQL and Kafka: outbox, relay, consumer, inbox, dead letters, a group dealt again
while a member applies a poll."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import REGISTRY
from sqlalchemy import Column, Integer, String, Table, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from hope_contracts import EventContract
from hope_infra.kafka import ensure_topics
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.events import cloudevent
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.consumer import EventConsumer
from hopekit.events.kafka import DLQ_TOPIC, make_producer
from hopekit.events.relay import OutboxRelay
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.testing import kafka_record
from hopekit.uow import Database, UnitOfWork

pytestmark = pytest.mark.integration

SOURCE = "/hope/kittest"
TOPIC = "hope.kittest.events"

metadata = make_metadata()
kit = add_kit_tables(metadata)
applied = Table(
    "applied_events",
    metadata,
    Column("thing_id", String(64), primary_key=True),
    Column("times", Integer, nullable=False),
)


class ThingHappened(EventContract):
    event_type: ClassVar[str] = "fr.hope.kittest.thing.happened.v1"
    subject_field: ClassVar[str] = "thing_id"

    thing_id: uuid.UUID
    occurred_at: datetime


class FailingThing(EventContract):
    event_type: ClassVar[str] = "fr.hope.kittest.thing.failing.v1"
    subject_field: ClassVar[str] = "thing_id"

    thing_id: uuid.UUID


class RelayKilled(Exception):
    pass


@pytest.fixture
async def database(postgres_database: str, kafka_bootstrap: str) -> AsyncIterator[Database]:
    engine = create_async_engine(postgres_database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await ensure_topics(kafka_bootstrap, [TOPIC, DLQ_TOPIC], partitions=3)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = make_producer(kafka_bootstrap, client_id="kit-test")
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def record_things(database: Database, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    async with UnitOfWork(database) as uow:
        uow.publish(*(ThingHappened(thing_id=thing, occurred_at=datetime.now().astimezone()) for thing in ids))
        await uow.commit()
    return ids


async def apply_thing(uow: UnitOfWork, thing: ThingHappened) -> None:
    existing = await uow.connection.scalar(select(applied.c.times).where(applied.c.thing_id == str(thing.thing_id)))
    if existing is None:
        await uow.connection.execute(insert(applied).values(thing_id=str(thing.thing_id), times=1))
    else:
        await uow.connection.execute(
            update(applied).where(applied.c.thing_id == str(thing.thing_id)).values(times=applied.c.times + 1)
        )


async def always_fail(uow: UnitOfWork, event: FailingThing) -> None:
    raise RuntimeError("this handler cannot cope")


def consumer_for(database: Database, kafka_bootstrap: str, producer: AIOKafkaProducer) -> EventConsumer[UnitOfWork]:
    return EventConsumer(
        name=f"kittest-{uuid.uuid4().hex[:8]}",
        topics=[TOPIC],
        bootstrap=kafka_bootstrap,
        uow_factory=lambda: UnitOfWork(database),
        handlers=ConsumerSpec("things", [on(ThingHappened, apply_thing), on(FailingThing, always_fail)]).handlers,
        dlq_producer=producer,
        max_attempts=3,
        backoff_s=0.01,
    )


async def wait_for(condition: Any, within_s: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def running_task(coroutine: Any) -> AsyncIterator[asyncio.Task[Any]]:
    task = asyncio.create_task(coroutine)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, 30)


def dropped(consumer: str) -> float:
    return REGISTRY.get_sample_value("hope_consumer_duplicates_dropped_total", {"consumer": consumer}) or 0.0


async def unpublished(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        count: int = await connection.scalar(
            select(func.count()).select_from(kit.outbox).where(kit.outbox.c.published_at.is_(None))
        )
        return count


async def test_relay_killed_between_publish_and_mark_loses_nothing_and_consumer_applies_once(
    database: Database, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    things = await record_things(database, 40)

    async def kill(_positions: Sequence[int]) -> None:
        raise RelayKilled

    dying = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup, after_send=kill)
    with pytest.raises(RelayKilled):
        await dying.publish_batch()
    assert await unpublished(database.engine) == 40  # sent to Kafka, but never marked

    restarted = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup)
    assert await restarted.publish_batch() == 40
    assert await unpublished(database.engine) == 0

    consumer = consumer_for(database, kafka_bootstrap, producer)
    async with running_task(consumer.run()):

        async def all_applied() -> bool:
            async with database.engine.connect() as connection:
                return (await connection.scalar(select(func.count()).select_from(applied))) == 40

        await wait_for(all_applied)

        async def resends_dropped() -> bool:
            return dropped(consumer.name) == 40

        # Every thing is on Kafka twice: each second copy is refused by the inbox, and counted.
        await wait_for(resends_dropped)

    async with database.engine.connect() as connection:
        rows = dict((await connection.execute(select(applied.c.thing_id, applied.c.times))).all())
    assert rows == {str(thing): 1 for thing in things}
    assert consumer.processed_total == 40


async def test_a_poison_message_goes_to_the_dlq_and_the_next_one_is_processed(
    database: Database, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    poison_key = uuid.uuid4()
    failing = FailingThing(thing_id=poison_key)
    key, value, headers = cloudevent.encode(
        event_id=uuid.uuid4(),
        source=SOURCE,
        type_=failing.event_type,
        subject=str(poison_key),
        time=datetime.now().astimezone(),
        key=str(poison_key),
        payload=failing.model_dump_json().encode(),
    )
    await producer.send_and_wait(TOPIC, value=value, key=key, headers=headers, partition=0)
    await producer.send_and_wait(TOPIC, value=b"not a cloudevent", key=key, partition=0)
    good = await record_things(database, 1)
    relay = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup)
    await relay.publish_batch()

    dlq = AIOKafkaConsumer(
        DLQ_TOPIC,
        bootstrap_servers=kafka_bootstrap,
        auto_offset_reset="earliest",
        group_id=f"dlq-reader-{uuid.uuid4().hex[:6]}",
    )
    await dlq.start()
    consumer = consumer_for(database, kafka_bootstrap, producer)
    try:
        async with running_task(consumer.run()):

            async def good_applied() -> bool:
                async with database.engine.connect() as connection:
                    return (
                        await connection.scalar(select(applied.c.times).where(applied.c.thing_id == str(good[0]))) == 1
                    )

            await wait_for(good_applied)
            dead: list[dict[str, bytes]] = []
            async with asyncio.timeout(60):  # a stuck broker fails the test instead of hanging it
                while len(dead) < 2:
                    batch = await dlq.getmany(timeout_ms=10_000)
                    records = [record for records in batch.values() for record in records]
                    assert records, "dead letters did not arrive"
                    dead.extend(
                        dict(record.headers)
                        for record in records
                        if dict(record.headers).get("hope_dlq_consumer") == consumer.name.encode()
                    )

            async def both_acknowledged() -> bool:
                # A dead letter can be readable before the consumer has seen Kafka's acknowledgement.
                return consumer.dead_lettered_total == 2

            await wait_for(both_acknowledged)
    finally:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(dlq.stop(), 15)

    by_attempts = sorted(dead, key=lambda h: int(h["hope_dlq_attempts"]))
    assert by_attempts[0]["hope_dlq_attempts"] == b"1"
    assert b"not a binary-mode CloudEvent" in by_attempts[0]["hope_dlq_reason"]
    assert by_attempts[1]["hope_dlq_attempts"] == b"3"
    assert b"this handler cannot cope" in by_attempts[1]["hope_dlq_reason"]
    assert by_attempts[1]["ce_type"] == failing.event_type.encode()
    assert by_attempts[1]["hope_dlq_topic"] == TOPIC.encode()


async def count_things(uow: UnitOfWork, events: Sequence[ReceivedEvent]) -> None:
    """A batch consumer's poll: each thing counted once more."""
    for event in events:
        statement = postgresql.insert(applied).values(thing_id=event.data["thing_id"], times=1)
        await uow.connection.execute(
            statement.on_conflict_do_update(index_elements=["thing_id"], set_={"times": applied.c.times + 1})
        )


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


async def publish_things(producer: AIOKafkaProducer, topic: str, count: int) -> set[str]:
    things = [uuid.uuid4() for _ in range(count)]
    for thing in things:
        key, value, headers = kafka_record(ThingHappened(thing_id=thing, occurred_at=datetime.now(UTC)))
        await producer.send(topic, value=value, key=key, headers=headers)
    await producer.flush()
    return {str(thing) for thing in things}


async def counted(database: Database) -> dict[str, int]:
    async with database.engine.connect() as connection:
        return dict((await connection.execute(select(applied.c.thing_id, applied.c.times))).all())


def offsets_left(consumer: str) -> float:
    return REGISTRY.get_sample_value("hope_consumer_offsets_left_total", {"consumer": consumer}) or 0.0


async def test_a_member_whose_partitions_are_dealt_again_during_a_poll_keeps_consuming(
    database: Database, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    """A replica joining while another applies a poll: the other keeps consuming, and every event is applied once."""
    topic = f"hope.kittest-{uuid.uuid4().hex[:8]}.events"
    await ensure_topics(kafka_bootstrap, [topic], partitions=4)
    group = f"kittest-{uuid.uuid4().hex[:8]}"
    HeldUnitOfWork.held, HeldUnitOfWork.release = asyncio.Event(), asyncio.Event()

    def member(uow_class: type[UnitOfWork]) -> EventConsumer[UnitOfWork]:
        return EventConsumer(
            name=group,
            topics=[topic],
            bootstrap=kafka_bootstrap,
            uow_factory=lambda: uow_class(database),
            handlers=ConsumerSpec("things", [on(ThingHappened, apply_thing)]).handlers,
            dlq_producer=producer,
            batch=count_things,
        )

    first_things = await publish_things(producer, topic, 40)
    first, second = member(HeldUnitOfWork), member(UnitOfWork)
    async with running_task(first.run()) as first_task:
        # The first member holds every partition and has polled; the second joins meanwhile and is dealt some of
        # them, which it reads from their beginning (nothing committed yet) and applies.
        await asyncio.wait_for(HeldUnitOfWork.held.wait(), 60)
        async with running_task(second.run()):

            async def second_applied_some() -> bool:
                return second.processed_total > 0

            await wait_for(second_applied_some, within_s=60)
            left_before = offsets_left(group)
            HeldUnitOfWork.release.set()

            # The first member applies its poll (what the second applied is left out by the inbox), finds some of
            # its partitions gone, and goes on: more events are applied by both.
            everything = first_things | await publish_things(producer, topic, 40)

            async def all_applied() -> bool:
                return set(await counted(database)) == everything

            await wait_for(all_applied, within_s=60)
            assert not first_task.done(), "the first member stopped"
            assert set((await counted(database)).values()) == {1}
            assert offsets_left(group) > left_before, "the first member's poll had partitions dealt to the second"
            assert first.processed_total > 0
            assert first.processed_total + second.processed_total == len(everything)
