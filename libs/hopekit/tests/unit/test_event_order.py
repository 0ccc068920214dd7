"""Sequence numbers given per key at write time, stale events skipped by the consumer runner, traces carried on."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from hopekit import metrics
from hopekit.events import cloudevent
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.consumer import EventConsumer
from hopekit.events.relay import OutboxRelay
from hopekit.logs import traceparent_var
from hopekit.uow import Database, UnitOfWork

from .fakes import SOURCE, FakeProducer, ThingHappened, kit, publish, sqlite_database

TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await sqlite_database(tmp_path)
    try:
        yield database
    finally:
        await database.engine.dispose()


async def outbox(database: Database) -> list[Any]:
    async with database.engine.connect() as connection:
        query = select(kit.outbox.c.key, kit.outbox.c.sequence, kit.outbox.c.traceparent).order_by(
            kit.outbox.c.position
        )
        return list((await connection.execute(query)).all())


async def test_each_key_numbers_its_events_from_one_across_transactions(database: Database) -> None:
    person, other = uuid.uuid4(), uuid.uuid4()
    await publish(database, ThingHappened(thing_id=person), ThingHappened(thing_id=other))
    await publish(database, ThingHappened(thing_id=person), ThingHappened(thing_id=person))

    rows = await outbox(database)

    assert [(row.key, row.sequence) for row in rows] == [
        (str(person), 1),
        (str(other), 1),
        (str(person), 2),
        (str(person), 3),
    ]


async def test_a_rolled_back_transaction_uses_up_no_sequence_number(database: Database) -> None:
    person = uuid.uuid4()
    async with UnitOfWork(database) as uow:
        uow.publish(ThingHappened(thing_id=person))
        await uow.rollback()
    await publish(database, ThingHappened(thing_id=person))

    assert [row.sequence for row in await outbox(database)] == [1]


async def test_the_request_trace_travels_from_the_outbox_row_into_the_cloudevent(database: Database) -> None:
    token = traceparent_var.set(TRACE)
    try:
        await publish(database, ThingHappened(thing_id=uuid.uuid4()))
    finally:
        traceparent_var.reset(token)
    producer = FakeProducer()
    relay = OutboxRelay(database.engine, kit.outbox, producer, SOURCE, wakeup=database.wakeup)  # type: ignore[arg-type]

    await relay.publish_batch()

    assert (await outbox(database))[0].traceparent == TRACE
    assert producer.sent[0].headers["ce_traceparent"] == TRACE.encode()
    assert producer.sent[0].headers["ce_sequence"] == b"1"


def record(person: uuid.UUID, sequence: int | None, offset: int, trace: str | None = None) -> ConsumerRecord[Any, Any]:
    contract = ThingHappened(thing_id=person, step=offset)
    key, value, headers = cloudevent.encode(
        event_id=uuid.uuid4(),
        source="/hope/elsewhere",
        type_=contract.event_type,
        subject=str(person),
        time=datetime.now(UTC),
        key=str(person),
        payload=contract.model_dump_json().encode(),
        sequence=sequence,
        traceparent=trace,
    )
    return ConsumerRecord(
        topic="hope.elsewhere.events",
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=value,
        checksum=None,
        serialized_key_size=len(key),
        serialized_value_size=len(value),
        headers=headers,
    )


class Recorder:
    def __init__(self) -> None:
        self.steps: list[int] = []
        self.traces: list[str | None] = []

    async def __call__(self, uow: UnitOfWork, event: ReceivedEvent) -> None:
        self.steps.append(int(event.data["step"]))
        self.traces.append(traceparent_var.get())


def consumer(database: Database, handler: Recorder, batch: Any = None) -> EventConsumer[UnitOfWork]:
    return EventConsumer(
        name=f"kittest-{uuid.uuid4().hex[:6]}",
        topics=["hope.elsewhere.events"],
        bootstrap="unused:9092",
        uow_factory=lambda: UnitOfWork(database),
        handlers={ThingHappened.event_type: handler},
        dlq_producer=FakeProducer(),  # type: ignore[arg-type]
        max_attempts=1,
        batch=batch,
    )


async def test_an_event_older_than_one_already_applied_for_its_key_is_skipped_and_counted(
    database: Database,
) -> None:
    handler = Recorder()
    runner = consumer(database, handler)
    person = uuid.uuid4()
    skipped = metrics.STALE_SKIPPED.labels(runner.name, ThingHappened.event_type)

    await runner.handle(record(person, sequence=1, offset=1))
    await runner.handle(record(person, sequence=3, offset=2))
    await runner.handle(record(person, sequence=2, offset=3))  # older than 3: stale
    await runner.handle(record(person, sequence=4, offset=4))

    assert handler.steps == [1, 2, 4]
    assert skipped._value.get() == 1


async def test_keys_are_ordered_independently_and_unsequenced_events_are_applied(database: Database) -> None:
    handler = Recorder()
    runner = consumer(database, handler)
    first, second = uuid.uuid4(), uuid.uuid4()

    await runner.handle(record(first, sequence=5, offset=1))
    await runner.handle(record(second, sequence=1, offset=2))
    await runner.handle(record(first, sequence=None, offset=3))

    assert handler.steps == [1, 2, 3]


async def test_the_handler_runs_in_the_events_trace_as_a_new_span(database: Database) -> None:
    handler = Recorder()
    runner = consumer(database, handler)

    await runner.handle(record(uuid.uuid4(), sequence=1, offset=1, trace=TRACE))

    (seen,) = handler.traces
    assert seen is not None
    assert seen.split("-")[1] == TRACE.split("-")[1]
    assert seen.split("-")[2] != TRACE.split("-")[2]
    assert traceparent_var.get() is None


async def test_a_batch_consumer_applies_a_poll_once_without_its_duplicates_and_stale_events(
    database: Database,
) -> None:
    applied: list[int] = []

    async def apply(uow: UnitOfWork, events: list[ReceivedEvent]) -> None:
        applied.extend(int(event.data["step"]) for event in events)

    handler = Recorder()
    runner = consumer(database, handler, apply)
    person, other = uuid.uuid4(), uuid.uuid4()
    poll = [
        record(person, sequence=1, offset=1),
        record(person, sequence=3, offset=2),
        record(person, sequence=2, offset=3),  # older than 3 in the same poll: stale
        record(other, sequence=None, offset=4),
    ]
    await runner.handle_batch([*poll, poll[0]])  # the first record twice
    await runner.handle_batch(poll)  # the whole poll again: all in the inbox

    assert applied == [1, 2, 4]
    assert handler.steps == [], "the per-record path was not used"
    assert runner.processed_total == 3


async def test_a_failing_batch_writes_nothing_and_its_records_go_one_by_one(database: Database) -> None:
    async def apply(uow: UnitOfWork, events: list[ReceivedEvent]) -> None:
        await uow.connection.execute(kit.inbox.delete())  # a write that must be rolled back
        raise RuntimeError("the batch failed")

    handler = Recorder()
    runner = consumer(database, handler, apply)
    person = uuid.uuid4()

    await runner.handle_batch([record(person, sequence=1, offset=1), record(person, sequence=2, offset=2)])

    assert handler.steps == [1, 2]
    assert runner.processed_total == 2


class _Deadlock(Exception):
    sqlstate = "40P01"  # as asyncpg's DeadlockDetectedError says it


async def test_a_batch_chosen_as_a_deadlocks_victim_is_applied_again_whole(database: Database) -> None:
    attempts: list[int] = []

    async def apply(uow: UnitOfWork, events: list[ReceivedEvent]) -> None:
        attempts.append(len(events))
        if len(attempts) == 1:
            raise DBAPIError("INSERT INTO facts ...", None, _Deadlock())

    handler = Recorder()
    runner = consumer(database, handler, apply)
    person = uuid.uuid4()

    await runner.handle_batch([record(person, sequence=1, offset=1), record(person, sequence=2, offset=2)])

    assert attempts == [2, 2], "applied again whole: the victim's inbox rows were rolled back"
    assert handler.steps == [], "not record by record"
    assert runner.processed_total == 2
