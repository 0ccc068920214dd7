"""Sequence numbers on PostgreSQL under concurrent writers of the same key."""

from __future__ import annotations

import asyncio
import uuid
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
