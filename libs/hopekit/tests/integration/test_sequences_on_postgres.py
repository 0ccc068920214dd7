"""Sequence numbers on PostgreSQL under concurrent writers of the same key."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import EventContract
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.uow import Database, UnitOfWork

pytestmark = pytest.mark.integration

metadata = make_metadata()
kit = add_kit_tables(metadata)


class Counted(EventContract):
    event_type: ClassVar[str] = "fr.hope.kittest.thing.counted.v1"
    subject_field: ClassVar[str] = "thing_id"

    thing_id: uuid.UUID


async def test_concurrent_transactions_on_one_key_get_distinct_numbers_in_position_order(
    postgres_database: str,
) -> None:
    engine = create_async_engine(postgres_database, pool_size=10)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    database = Database(engine=engine, tables=kit)
    person = uuid.uuid4()

    async def write() -> None:
        async with UnitOfWork(database) as uow:
            uow.publish(Counted(thing_id=person), Counted(thing_id=person))
            await asyncio.sleep(0)  # let the other writers start their transactions
            await uow.commit()

    try:
        await asyncio.gather(*(write() for _ in range(15)))
        async with engine.connect() as connection:
            numbers = list(
                (await connection.scalars(select(kit.outbox.c.sequence).order_by(kit.outbox.c.position))).all()
            )
    finally:
        await engine.dispose()

    assert numbers == list(range(1, 31))


async def _numbers_per_key(database: Database) -> dict[str, list[int]]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(kit.outbox.c.key, kit.outbox.c.sequence).order_by(kit.outbox.c.position))
        numbers: dict[str, list[int]] = {}
        for key, sequence in rows:
            numbers.setdefault(str(key), []).append(int(sequence))
    return numbers


async def test_transactions_writing_thousands_of_the_same_keys_in_other_orders_number_each_key_in_order(
    postgres_database: str,
) -> None:
    """More keys than one counter statement takes, written by two transactions at once that list them in opposite
    orders: the counters are locked in one order whatever the events' order, so neither deadlocks."""
    engine = create_async_engine(postgres_database, pool_size=4)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    database = Database(engine=engine, tables=kit)
    people = [uuid.uuid4() for _ in range(2500)]

    async def write(order: list[uuid.UUID]) -> None:
        async with UnitOfWork(database) as uow:
            uow.publish(*(Counted(thing_id=person) for person in order))
            await asyncio.sleep(0)
            uow.publish(*(Counted(thing_id=person) for person in order))
            await uow.commit()

    try:
        await asyncio.gather(write(people), write(people[::-1]))
        numbers = await _numbers_per_key(database)
    finally:
        await engine.dispose()

    assert len(numbers) == len(people)
    assert all(sequence == [1, 2, 3, 4] for sequence in numbers.values())


async def test_one_transaction_of_thousands_of_keys_on_sqlite_numbers_each_key_from_one(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    database = Database(engine=engine, tables=kit)
    people = [uuid.uuid4() for _ in range(2500)]
    try:
        for _ in range(2):
            async with UnitOfWork(database) as uow:
                uow.publish(*(Counted(thing_id=person) for person in people))
                uow.publish(Counted(thing_id=people[0]))
                await uow.commit()
        numbers = await _numbers_per_key(database)
    finally:
        await engine.dispose()

    assert numbers[str(people[0])] == [1, 2, 3, 4]
    assert all(sequence == [1, 2] for key, sequence in numbers.items() if key != str(people[0]))
