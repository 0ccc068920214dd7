"""The pool checks a connection only when it sat idle, and replaces one the database has dropped meanwhile."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.engine import ping_when_idle

pytestmark = pytest.mark.integration


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_a_connection_dropped_while_idle_is_replaced_before_a_request_uses_it(postgres_database: str) -> None:
    engine = create_async_engine(postgres_database, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_s=0.0)
    try:
        async with engine.connect() as connection:
            first = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(_asyncpg_url(postgres_database))
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()
        async with engine.connect() as connection:
            second = await connection.scalar(text("SELECT pg_backend_pid()"))
        assert second != first
    finally:
        await engine.dispose()


@pytest.mark.parametrize(("idle_s", "expected_pings"), [(5.0, 0), (0.0, 4)])
async def test_only_a_connection_idle_longer_than_the_limit_is_pinged(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch, idle_s: float, expected_pings: int
) -> None:
    pings: list[object] = []
    real_ping = AsyncAdapt_asyncpg_connection.ping

    def counted_ping(self: AsyncAdapt_asyncpg_connection) -> None:
        pings.append(self)
        real_ping(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counted_ping)
    engine = create_async_engine(postgres_database, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_s=idle_s)
    try:
        backends = set()
        for _ in range(5):
            async with engine.connect() as connection:
                backends.add(await connection.scalar(text("SELECT pg_backend_pid()")))
        # One connection throughout; the first checkout opened it, so had nothing to check.
        assert len(backends) == 1
        assert len(pings) == expected_pings
    finally:
        await engine.dispose()
