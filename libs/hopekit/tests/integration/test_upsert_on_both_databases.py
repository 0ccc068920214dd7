"""The kit's ``upsert`` and ``insert_ignore`` store what they are given, of every column type the services write
through them, on SQLite and on PostgreSQL (where the rows go as one array per column, in one statement)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Time,
    Uuid,
    any_,
    select,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from hopekit.db.sets import among
from hopekit.db.types import UTCDateTime, hours, money
from hopekit.db.unnested import array_of, insert_unnested
from hopekit.db.upsert import insert_ignore, upsert
from hopekit.testing import statements_sent

pytestmark = pytest.mark.integration

metadata = MetaData()
ledger = Table(
    "kit_upsert_ledger",
    metadata,
    Column("person", Uuid, primary_key=True),
    Column("line", String(16), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("amount", money(), nullable=False),
    Column("hours", hours(), nullable=True),
    Column("held_on", Date, nullable=True),
    Column("starts_at", Time, nullable=True),
    Column("present", Boolean, nullable=True),
    Column("sequence", BigInteger, nullable=True),
    Column("sealed", LargeBinary, nullable=True),
    Column("codes", JSON, nullable=True),
    Column("note", String(40), nullable=True),
    Column("version", Integer, nullable=False, default=1),
)
PARIS_SUMMER = timezone(timedelta(hours=2))
UPDATED = ("at", "amount", "hours", "held_on", "starts_at", "present", "sequence", "sealed", "codes", "note")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


def _row(n: int, **values: Any) -> dict[str, Any]:
    return {
        "person": uuid.UUID(int=n),
        "line": f"line-{n}",
        "at": datetime(2026, 7, 1, 12, tzinfo=PARIS_SUMMER) + timedelta(minutes=n),
        "amount": Decimal(f"{n}1234.56"),
        "hours": Decimal("7.25"),
        "held_on": date(2026, 7, 1) + timedelta(days=n),
        "starts_at": time(9, 30),
        "present": n % 2 == 0,
        "sequence": 2**40 + n,
        "sealed": bytes([n % 256, 0, 255]),
        "codes": {"sectors": ["M1607", f"K{n}"]},
        "note": "énoncé, 'quoted', {braced}",
    } | values


def _empty(n: int) -> dict[str, Any]:
    """A row whose nullable columns are None (but JSON's: None is stored as JSON null by SQLAlchemy)."""
    return _row(n, hours=None, held_on=None, starts_at=None, present=None, sequence=None, sealed=None, note=None)


async def _stored(engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(ledger).order_by(ledger.c.person))
        return [dict(row._mapping) for row in rows]


def _as_stored(row: dict[str, Any]) -> dict[str, Any]:
    """What reading ``row`` back gives: instants in UTC, the default version."""
    return row | {"at": row["at"].astimezone(UTC), "version": 1}


async def test_rows_of_every_type_are_stored_as_given_and_updated(engine: AsyncEngine) -> None:
    first = [_row(1), _empty(2), _row(3)]
    async with engine.begin() as connection:
        await upsert(connection, ledger, first, keys=["person", "line"], update=UPDATED)
    assert await _stored(engine) == [_as_stored(row) for row in first]

    # Existing keys have their update columns replaced (a value to None and back), a new key is inserted.
    second = [_empty(1), _row(2, amount=Decimal("0.01")), _row(4)]
    async with engine.begin() as connection:
        await upsert(connection, ledger, second, keys=["person", "line"], update=UPDATED)
    assert await _stored(engine) == [_as_stored(row) for row in [second[0], second[1], first[2], second[2]]]


async def test_insert_ignore_keeps_the_rows_already_there(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await insert_ignore(connection, ledger, [_row(1)])
        await insert_ignore(connection, ledger, [_row(1, note="other"), _empty(2), _empty(2)])
    assert await _stored(engine) == [_as_stored(_row(1)), _as_stored(_empty(2))]


async def test_rows_of_the_same_key_are_written_as_one_after_the_other(engine: AsyncEngine) -> None:
    """The first row inserted, the last one's update columns kept: what an executemany gave."""
    rows = [_row(1, note="first", sealed=b"kept"), _row(1, note="second"), _row(1, note="third", amount=Decimal(3))]
    async with engine.begin() as connection:
        await upsert(connection, ledger, rows, keys=["person", "line"], update=["note", "amount"])
    assert await _stored(engine) == [_as_stored(rows[0] | {"note": "third", "amount": Decimal("3.00")})]


async def test_a_string_too_long_for_its_column_is_refused_not_cut(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not hold strings to their length")
    with pytest.raises(DBAPIError, match="too long"):
        async with engine.begin() as connection:
            await upsert(connection, ledger, [_row(1, note="x" * 41)], keys=["person", "line"], update=UPDATED)


async def test_a_naive_datetime_is_refused_as_the_column_type_refuses_it(engine: AsyncEngine) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with engine.begin() as connection:
            await upsert(
                connection, ledger, [_row(1, at=datetime(2026, 7, 1))], keys=["person", "line"], update=UPDATED
            )


async def test_on_postgresql_the_rows_go_in_one_statement(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes an executemany")
    rows = [_row(n % 250, line=f"line-{n}") for n in range(500)]
    async with engine.begin() as connection:
        with statements_sent(engine) as sent:
            await upsert(connection, ledger, rows, keys=["person", "line"], update=UPDATED)
            await insert_ignore(connection, ledger, rows)
    assert len(sent) == 2
    assert all("unnest" in statement for statement in sent)
    assert len(await _stored(engine)) == 500


async def test_a_longer_string_compared_as_an_array_finds_no_row_of_its_first_characters(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("arrays are PostgreSQL's")
    stored = "line-1" + "x" * 10  # the column's 16 characters
    async with engine.begin() as connection:
        await insert_ignore(connection, ledger, [_row(1, line=stored)])
        found = await connection.scalars(
            select(ledger.c.line).where(ledger.c.line == any_(array_of(ledger, "line"))),
            {"line": [stored + "yyy", stored]},
        )
        assert list(found) == [stored]
        found = await connection.scalars(
            select(ledger.c.line).where(ledger.c.line == any_(array_of(ledger, "line"))), {"line": [stored + "yyy"]}
        )
        assert list(found) == []


def test_a_column_left_to_a_python_function_default_is_refused_on_postgresql() -> None:
    """``from_select`` would call the function once: every row would have the same id."""
    tagged = Table(
        "kit_upsert_tagged", MetaData(), Column("id", Uuid, primary_key=True, default=uuid.uuid4), Column("tag", String)
    )
    with pytest.raises(ValueError, match=r"\['id'\]"):
        insert_unnested(tagged, ("tag",))
    insert_unnested(tagged, ("id", "tag"))


async def test_a_longer_string_among_values_finds_no_row_of_its_first_characters(engine: AsyncEngine) -> None:
    stored = "line-1" + "x" * 10  # the column's 16 characters
    async with engine.begin() as connection:
        await insert_ignore(connection, ledger, [_row(1, line=stored)])
        named = among(connection, ledger.c.line, [stored + "yyy", stored])
        assert list(await connection.scalars(select(ledger.c.line).where(named))) == [stored]
        named = among(connection, ledger.c.line, [stored + "yyy"])
        assert list(await connection.scalars(select(ledger.c.line).where(named))) == []
