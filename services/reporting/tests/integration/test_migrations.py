"""The schema's migrations go down to nothing and up again on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.migrations import downgrade, upgrade

from .support import SERVICE_ROOT

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
    assert {"fact_people", "read_model_versions", "outbox"} <= asyncio.run(_tables(database_url))
    downgrade(SERVICE_ROOT, database_url)
    assert asyncio.run(_tables(database_url)) <= {"alembic_version"}
    upgrade(SERVICE_ROOT, database_url)
    assert {"fact_people", "read_model_versions", "outbox"} <= asyncio.run(_tables(database_url))
