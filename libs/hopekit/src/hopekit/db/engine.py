"""Async engines for PostgreSQL (asyncpg) and the embedded SQLite default (aiosqlite)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def make_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No JIT compilation: PostgreSQL compiles a statement whose *estimated* cost passes jit_above_cost, and the
    # services' statements are short reads and writes whose estimates can be far off. Reporting's people without
    # housing at national scale: estimated at 394,000, run in 25 ms, and compiled first for 12 ms more (measured on
    # a connection of PostgreSQL's defaults; reporting's fact queries had turned it off on their own connections).
    server_settings = {"jit": "off"}
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, connect_args={"server_settings": server_settings}
    )
    ping_when_idle(engine)
    return engine


# A pooled connection unused for longer than this is checked with a round trip before it is handed out.
IDLE_PING_S = 5.0


def ping_when_idle(engine: AsyncEngine, idle_s: float = IDLE_PING_S) -> None:
    """SQLAlchemy's ``pool_pre_ping`` checks every connection on every checkout, and on asyncpg its check is
    three round trips (BEGIN, an empty query, ROLLBACK): a third of an audited read's. A connection that went
    back to the pool moments ago was working then; one that sat idle (through a database restart, a network
    cut, an idle timeout) is checked, and replaced when the check fails. A connection broken while in steady use
    fails its request, and the first such failure makes SQLAlchemy discard the whole pool, as without a ping."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["hope_returned_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _check_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("hope_returned_at")
        # None: a connection just opened, nothing to check yet.
        if returned is None or time.monotonic() - returned < idle_s:
            return
        try:
            dbapi_connection.ping()
        except Exception as error:
            # The pool discards this connection and hands out another (up to three tries).
            record.info.pop("hope_returned_at", None)
            raise DisconnectionError("connection idle in the pool no longer answers") from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the relay read while the API writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"
