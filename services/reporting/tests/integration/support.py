"""What the integration tests check answers and the outbox with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from hope_infra.testing import PROBLEM, assert_problem, outbox_events
from hopekit.uow import Database
from reporting_service.adapters.summaries import sum_due
from reporting_service.adapters.tables import kit, metadata

SERVICE_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["FACT_TABLES", "PROBLEM", "SERVICE_ROOT", "assert_problem", "facts_of", "outbox"]

FACT_TABLES = [table for table in metadata.sorted_tables if table.name.startswith("fact_")]


async def facts_of(database: Database, version: int, rebuilt: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every fact row of a version, without the version, in a stable order: what two versions compare by.
    ``rebuilt``: written as a rebuild writes (no cohort noted due), it is summed whole, as its switch does."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with database.engine.begin() as connection:
        await sum_due(connection, version, whole=rebuilt)  # the summaries as the next answer reads them
    async with database.engine.connect() as connection:
        for table in FACT_TABLES:
            columns = [column for column in table.c if column.name != "version"]
            rows = await connection.execute(select(*columns).where(table.c.version == version))
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


async def outbox(database_url: str) -> list[dict[str, Any]]:
    """The events written so far, payloads decoded (no Kafka here: they wait in the outbox)."""
    return await outbox_events(database_url, kit)
