"""A batch consumer's inbox and order marks on PostgreSQL: one statement per poll for the inbox, duplicates told
apart, concurrent deliveries, stale events left out."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event as engine_events
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.inbox import record_new
from hopekit.events.subscriptions import process_batch
from hopekit.uow import Database, UnitOfWork

pytestmark = pytest.mark.integration

metadata = make_metadata()
kit = add_kit_tables(metadata)
CONSUMER = "kittest.inbox"


def delivered(
    source: str = "/hope/kittest", event_id: str | None = None, key: str | None = None, sequence: int | None = None
) -> ReceivedEvent:
    return ReceivedEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type="fr.hope.kittest.thing.counted.v1",
        subject=None,
        time=datetime.now(UTC),
        key=key,
        data={},
        topic="hope.kittest.events",
        partition=0,
        offset=0,
        sequence=sequence,
    )


@pytest.fixture
async def database(postgres_database: str) -> AsyncIterator[Database]:
    engine = create_async_engine(postgres_database, pool_size=4)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


async def recorded(database: Database, events: list[ReceivedEvent]) -> tuple[list[ReceivedEvent], int]:
    """The new events of a poll, committed, and how many statements recording them took."""
    sent: list[str] = []

    def count(*arguments: object) -> None:
        sent.append(str(arguments[2]))

    engine_events.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with UnitOfWork(database) as uow:
            fresh = await record_new(uow.connection, uow.tables, CONSUMER, events)
            await uow.commit()
    finally:
        engine_events.remove(database.engine.sync_engine, "before_cursor_execute", count)
    return fresh, len(sent)


async def test_a_poll_is_recorded_in_one_statement_and_its_duplicates_are_told_apart(database: Database) -> None:
    first = [delivered() for _ in range(3)]
    # The same id from another source is another event.
    other_source = delivered(source="/hope/elsewhere", event_id=first[0].id)

    fresh, statements = await recorded(database, [first[0], first[1], first[0], other_source])
    assert fresh == [first[0], first[1], other_source]
    assert statements == 1

    # The poll delivered again with a new event: only that one is new, whatever the poll's size.
    fresh, statements = await recorded(database, [*first, other_source, *[delivered() for _ in range(600)]])
    assert fresh[0] == first[2]
    assert len(fresh) == 601
    assert statements == 1

    async with database.engine.connect() as connection:
        rows = await connection.scalar(select(func.count()).select_from(kit.inbox))
    assert rows == 4 + 600


async def test_a_concurrent_delivery_of_the_same_events_waits_and_counts_them_once(database: Database) -> None:
    """Two replicas' polls holding the same events (a rebalance): the second waits for the first transaction's
    rows, then finds them recorded; it neither applies them again nor fails."""
    events = [delivered() for _ in range(50)]
    first_holds = asyncio.Event()
    release = asyncio.Event()

    async def first() -> list[ReceivedEvent]:
        async with UnitOfWork(database) as uow:
            fresh = await record_new(uow.connection, uow.tables, CONSUMER, events)
            first_holds.set()
            await release.wait()
            await uow.commit()
        return fresh

    async def second() -> list[ReceivedEvent]:
        await first_holds.wait()
        async with UnitOfWork(database) as uow:
            fresh = await record_new(uow.connection, uow.tables, CONSUMER, list(reversed(events)))
            await uow.commit()
        return fresh

    async def let_first_commit() -> None:
        await first_holds.wait()
        await asyncio.sleep(0.3)  # the second is now waiting on the first's rows
        release.set()

    one, two, _ = await asyncio.wait_for(asyncio.gather(first(), second(), let_first_commit()), timeout=30)
    assert one == events
    assert two == []


async def test_a_poll_leaves_out_events_older_than_their_keys_mark(database: Database) -> None:
    applied: list[tuple[str | None, int | None]] = []

    async def apply(uow: UnitOfWork, events: list[ReceivedEvent]) -> None:
        applied.extend((event.key, event.sequence) for event in events)

    async def poll(*events: ReceivedEvent) -> None:
        await process_batch(CONSUMER, UnitOfWork(database), list(events), apply)

    await poll(delivered(key="a", sequence=2), delivered(key="a", sequence=1), delivered(key="b", sequence=5))
    # Against the stored marks: a's 2 and b's 5 are there; a's 3 is new, b's 4 older.
    await poll(*(delivered(key=key, sequence=sequence) for key, sequence in [("a", 2), ("a", 3), ("b", 4)]))

    assert applied == [("a", 2), ("b", 5), ("a", 3)]
