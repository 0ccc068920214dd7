"""The schema's migrations go down to nothing and up again on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, inspect, select
from sqlalchemy.ext.asyncio import create_async_engine

from funding_service.adapters.tables import consumption_posted, support_costs
from hopekit.db.migrations import downgrade, upgrade

from .conftest import SERVICE_ROOT

pytestmark = pytest.mark.integration


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


# Alembic runs its own event loop (hopekit.db.migrations): this test is synchronous.
def test_the_migrations_go_down_to_nothing_and_up_again(database_url: str) -> None:
    assert {"accounts", "postings", "claims", "outbox"} <= asyncio.run(_tables(database_url))
    downgrade(SERVICE_ROOT, database_url)
    assert asyncio.run(_tables(database_url)) <= {"alembic_version"}
    upgrade(SERVICE_ROOT, database_url)
    assert {"accounts", "postings", "claims", "outbox"} <= asyncio.run(_tables(database_url))


async def _support_and_course_rows_at_0004(url: str, placement: uuid.UUID, course: uuid.UUID) -> None:
    """A placement's row and a course's row of ``consumption_posted`` as revision 0004 kept them (both in course_id)."""
    person, line = uuid.uuid4(), uuid.uuid4()
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(support_costs).values(
                    id=placement,
                    cost_type="housing_night",
                    beneficiary_id=person,
                    starts_on=date(2026, 2, 1),
                    quantity=Decimal(3),
                    updated_at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
                )
            )
            for source in (placement, course):
                await connection.execute(
                    insert(consumption_posted).values(
                        beneficiary_id=person,
                        session_id=uuid.uuid4(),
                        budget_line_id=line,
                        course_id=source,
                        held_on=date(2026, 2, 1),
                        funded_hours=Decimal(3),
                        amount=Decimal(90),
                        claimed_amount=Decimal(0),
                    )
                )
    finally:
        await engine.dispose()


async def _sources(url: str, *, source_column: bool = True) -> set[tuple[uuid.UUID | None, ...]]:
    """(course_id, source_id) of every ``consumption_posted`` row; (course_id,) before revision 0005."""
    columns = [consumption_posted.c.course_id] + ([consumption_posted.c.source_id] if source_column else [])
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return {tuple(row) for row in await connection.execute(select(*columns))}
    finally:
        await engine.dispose()


def test_revision_0005_moves_support_rows_from_course_id_to_source_id_and_back(database_url: str) -> None:
    downgrade(SERVICE_ROOT, database_url, "0004")
    placement, course = uuid.uuid4(), uuid.uuid4()
    asyncio.run(_support_and_course_rows_at_0004(database_url, placement, course))
    upgrade(SERVICE_ROOT, database_url)
    assert asyncio.run(_sources(database_url)) == {(None, placement), (course, None)}
    downgrade(SERVICE_ROOT, database_url, "0004")
    assert asyncio.run(_sources(database_url, source_column=False)) == {(placement,), (course,)}
    upgrade(SERVICE_ROOT, database_url)
