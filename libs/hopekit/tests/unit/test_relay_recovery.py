"""The relay under producer faults: it replaces a broken producer, keeps per-key order and says when it stalls."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka.errors import KafkaConnectionError, OutOfOrderSequenceNumber

from hopekit import metrics
from hopekit.events.kafka import RenewingProducer
from hopekit.events.relay import OutboxRelay, readiness
from hopekit.uow import Database

from .fakes import SOURCE, FakeProducer, ThingHappened, kit, publish, sqlite_database, unpublished


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await sqlite_database(tmp_path)
    try:
        yield database
    finally:
        await database.engine.dispose()


@contextlib.asynccontextmanager
async def running(relay: OutboxRelay) -> AsyncIterator[None]:
    task = asyncio.create_task(relay.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def eventually(condition: object, within_s: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_a_producer_broken_by_a_fatal_error_is_replaced_and_the_outbox_drains(database: Database) -> None:
    # The first producer behaves as aiokafka's after a broker kill -9: every send fails with the same fatal error.
    made: list[FakeProducer] = []

    def factory() -> FakeProducer:
        broken = not made
        made.append(FakeProducer(fail=lambda _sent: OutOfOrderSequenceNumber() if broken else None))
        return made[-1]

    producer = RenewingProducer(factory)  # type: ignore[arg-type]
    await producer.start()
    await publish(database, *(ThingHappened(thing_id=uuid.uuid4()) for _ in range(5)))
    relay = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup, poll_interval_s=0.05)

    async with running(relay):
        await eventually(lambda: relay.published_total == 5)

    assert len(made) == 2
    assert made[0].stopped
    assert producer.renewals == 1
    assert await unpublished(database.engine) == 0


async def test_repeated_errors_that_look_retriable_also_end_in_a_new_producer(database: Database) -> None:
    made: list[FakeProducer] = []

    def factory() -> FakeProducer:
        broken = not made
        made.append(FakeProducer(fail=lambda _sent: KafkaConnectionError() if broken else None))
        return made[-1]

    producer = RenewingProducer(factory)  # type: ignore[arg-type]
    await producer.start()
    await publish(database, ThingHappened(thing_id=uuid.uuid4()))
    relay = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup, poll_interval_s=0.05)

    async with running(relay):
        await eventually(lambda: relay.published_total == 1)

    assert len(made) == 2


async def test_no_row_of_a_key_is_sent_while_an_earlier_row_of_that_key_is_unacknowledged(
    database: Database,
) -> None:
    person = uuid.uuid4()
    await publish(database, *(ThingHappened(thing_id=person, step=step) for step in range(4)))
    await publish(database, *(ThingHappened(thing_id=uuid.uuid4()) for _ in range(3)))
    producer = FakeProducer()
    relay = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup)  # type: ignore[arg-type]

    assert await relay.publish_batch() == 7

    assert all(sent.earlier_of_key_acknowledged for sent in producer.sent)
    assert producer.wire(str(person)) == [1, 2, 3, 4]


async def test_a_failed_row_holds_back_the_later_rows_of_its_key_until_it_is_delivered(database: Database) -> None:
    person, other = uuid.uuid4(), uuid.uuid4()
    await publish(database, *(ThingHappened(thing_id=person, step=step) for step in range(3)))
    await publish(database, ThingHappened(thing_id=other))
    failures = iter([True])

    def fail_second_event_once(sent: object) -> BaseException | None:
        if getattr(sent, "key", None) == str(person).encode() and getattr(sent, "sequence", 0) == 2:
            return KafkaConnectionError() if next(failures, False) else None
        return None

    producer = FakeProducer(fail=fail_second_event_once)
    relay = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup)  # type: ignore[arg-type]

    assert await relay.publish_batch() == 2  # the person's first event and the other person's
    assert [sent.sequence for sent in producer.sent if sent.key == str(person).encode()] == [1, 2]
    assert await relay.publish_batch() == 2  # the failed one, then the one behind it

    assert producer.wire(str(person)) == [1, 2, 3]
    assert all(sent.earlier_of_key_acknowledged for sent in producer.sent)
    async with database.engine.connect() as connection:
        attempts = dict(
            (
                await connection.execute(
                    kit.outbox.select()
                    .with_only_columns(kit.outbox.c.sequence, kit.outbox.c.attempts)
                    .where(kit.outbox.c.key == str(person))
                )
            ).all()
        )
    assert attempts == {1: 0, 2: 1, 3: 0}  # the held row was never tried, so it counts no attempt


async def test_a_relay_publishing_nothing_while_rows_wait_is_stalled_then_resumes(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await publish(database, ThingHappened(thing_id=uuid.uuid4()))
    producer = FakeProducer(fail=lambda _sent: KafkaConnectionError())
    relay = OutboxRelay(
        database.engine,
        kit.outbox,
        producer,
        SOURCE,
        wakeup=database.wakeup,
        stall_after_s=0.0,  # type: ignore[arg-type]
    )
    caplog.set_level(logging.WARNING, logger="hopekit.events.relay")

    await relay.publish_batch()
    await relay.measure_backlog()
    await relay.measure_backlog()

    assert readiness(relay) == "stalled"
    assert metrics.RELAY_STALLED.labels(SOURCE)._value.get() == 1
    assert metrics.OUTBOX_WAITING.labels(SOURCE)._value.get() == 1
    assert metrics.OUTBOX_OLDEST_AGE.labels(SOURCE)._value.get() >= 0
    stalled = [record for record in caplog.records if "stalled" in record.getMessage()]
    assert len(stalled) == 1

    producer.fail = lambda _sent: None
    await relay.publish_batch()
    await relay.measure_backlog()
    await relay.measure_backlog()

    assert readiness(relay) == "ok"
    assert metrics.RELAY_STALLED.labels(SOURCE)._value.get() == 0
    resumed = [record for record in caplog.records if "resumed" in record.getMessage()]
    assert len(resumed) == 1


async def test_a_standby_relay_is_not_stalled_while_another_one_publishes(database: Database) -> None:
    standby = OutboxRelay(
        database.engine,
        kit.outbox,
        FakeProducer(),
        SOURCE,
        wakeup=database.wakeup,
        stall_after_s=0.05,  # type: ignore[arg-type]
    )
    active = OutboxRelay(database.engine, kit.outbox, FakeProducer(), SOURCE, wakeup=database.wakeup)  # type: ignore[arg-type]

    for _ in range(4):
        await publish(database, ThingHappened(thing_id=uuid.uuid4()), ThingHappened(thing_id=uuid.uuid4()))
        await standby.measure_backlog()  # rows are waiting every time it looks...
        await asyncio.sleep(0.06)
        await active.publish_batch()  # ...but the oldest of them moves on each time
        await publish(database, ThingHappened(thing_id=uuid.uuid4()))
        await standby.measure_backlog()

    assert standby.waiting > 0
    assert readiness(standby) == "ok"
