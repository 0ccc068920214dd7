"""A read's audit rows go straight to asyncpg: what they store is what SQLAlchemy would store, a value SQLAlchemy
would refuse is refused, and inside a transaction the rows still go through SQLAlchemy (and roll back with it)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, String, Table, Uuid, event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from hopekit.db.driver import DriverInsert
from hopekit.db.types import UTCDateTime

pytestmark = pytest.mark.integration

metadata = MetaData()
notes = Table(
    "driver_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("reason", String(20)),
)
PARIS_SUMMER = timezone(timedelta(hours=2))


@pytest.fixture
async def engine(postgres_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(postgres_database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


def _statements_through_sqlalchemy(engine: AsyncEngine) -> list[str]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    return seen


async def test_outside_a_transaction_the_driver_stores_the_rows_as_sqlalchemy_would(engine: AsyncEngine) -> None:
    rows = [
        {"id": uuid.uuid4(), "at": datetime(2026, 7, 1, 12, 0, tzinfo=PARIS_SUMMER), "reason": None},
        {"id": uuid.uuid4(), "at": datetime(2026, 7, 1, 13, 0, tzinfo=UTC), "reason": "check"},
    ]
    through_sqlalchemy = _statements_through_sqlalchemy(engine)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await DriverInsert(notes).execute(connection, rows[:1])
        await DriverInsert(notes).execute(connection, rows[1:])
    assert through_sqlalchemy == []
    async with engine.connect() as connection:
        stored = (await connection.execute(select(notes).order_by(notes.c.at))).all()
    assert [(row.id, row.at, row.reason) for row in stored] == [
        (rows[0]["id"], datetime(2026, 7, 1, 10, 0, tzinfo=UTC), None),
        (rows[1]["id"], datetime(2026, 7, 1, 13, 0, tzinfo=UTC), "check"),
    ]


async def test_the_columns_own_checks_still_apply(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        with pytest.raises(ValueError, match="naive datetime"):
            await DriverInsert(notes).execute(
                connection, [{"id": uuid.uuid4(), "at": datetime(2026, 7, 1), "reason": None}]
            )
        assert await connection.scalar(select(func.count()).select_from(notes)) == 0


async def test_inside_a_transaction_the_rows_go_through_sqlalchemy_and_roll_back_with_it(engine: AsyncEngine) -> None:
    through_sqlalchemy = _statements_through_sqlalchemy(engine)
    async with engine.connect() as connection:
        await connection.begin()
        await DriverInsert(notes).execute(connection, [{"id": uuid.uuid4(), "at": datetime.now(UTC), "reason": None}])
        await connection.rollback()
    assert [statement.split()[0] for statement in through_sqlalchemy] == ["INSERT"]
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(notes)) == 0
