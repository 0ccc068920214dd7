"""The kit's PostgreSQL engine: its connections' own settings."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hopekit.db.engine import make_engine

pytestmark = pytest.mark.integration


async def test_the_services_connections_never_compile_statements_just_in_time(postgres_database: str) -> None:
    engine = make_engine(postgres_database, pool_size=1)
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("SHOW jit")) == "off"
            # Whatever the statement's estimated cost: this one's passes jit_above_cost many times over.
            await connection.execute(text("SET jit_above_cost = 0"))
            plan = await connection.execute(text("EXPLAIN (ANALYZE) SELECT sum(g) FROM generate_series(1, 1000) g"))
            assert not [line for (line,) in plan if line.startswith("JIT")]
    finally:
        await engine.dispose()
