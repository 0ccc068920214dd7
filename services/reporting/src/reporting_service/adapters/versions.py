"""The read models' versions: the active one answers; a rebuild writes a new one beside it, then switches."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters import summaries
from reporting_service.adapters.tables import metadata, read_model_positions, read_model_versions
from reporting_service.adapters.tables_summaries import summary_due, summary_nights

FED_STATES = ("active", "building")


def _versioned_tables() -> list[Table]:
    facts = [table for table in metadata.sorted_tables if table.name.startswith("fact_")]
    return [*facts, read_model_positions, summary_due, summary_nights]


async def active_version(connection: AsyncConnection) -> int | None:
    found = await connection.scalar(
        select(read_model_versions.c.version).where(read_model_versions.c.state == "active")
    )
    return None if found is None else int(found)


async def fed_versions(connection: AsyncConnection) -> list[int]:
    """The versions every live event is written to: the active one, and one being rebuilt (so the rebuild
    misses nothing that arrives while it runs)."""
    rows = await connection.scalars(
        select(read_model_versions.c.version)
        .where(read_model_versions.c.state.in_(FED_STATES))
        .order_by(read_model_versions.c.version)
    )
    return [int(version) for version in rows]


async def start_building(connection: AsyncConnection) -> int:
    """A new version, after every version so far, in state ``building``; an earlier unfinished one is dropped."""
    versions = read_model_versions.c
    for stale in await connection.scalars(select(versions.version).where(versions.state == "building")):
        await drop(connection, int(stale))
    latest = await connection.scalar(select(func.max(versions.version)))
    version = int(latest or 0) + 1
    await connection.execute(
        read_model_versions.insert().values(version=version, state="building", started_at=datetime.now(UTC))
    )
    return version


async def activate(connection: AsyncConnection, version: int) -> list[int]:
    """Make ``version`` the one that answers; the one it replaces is retired. Returns the retired versions.

    It is summed whole first, in the same transaction: a rebuild's batches note no cohort due (noting them was a
    sixth of its time), and summing a national programme takes tens of seconds, which its first answer would
    otherwise wait for. What the live consumers write into it meanwhile they note due, as ever: committed after
    this summing, it is summed by the next answer or the job."""
    await summaries.sum_due(connection, version, whole=True)
    versions = read_model_versions.c
    retired = [int(v) for v in await connection.scalars(select(versions.version).where(versions.state == "active"))]
    await connection.execute(update(read_model_versions).where(versions.state == "active").values(state="retired"))
    await connection.execute(
        update(read_model_versions)
        .where(versions.version == version)
        .values(state="active", activated_at=datetime.now(UTC))
    )
    return retired


async def drop(connection: AsyncConnection, version: int) -> None:
    """Delete a version's facts and its row (a retired version, or a rebuild abandoned)."""
    for table in _versioned_tables():
        await connection.execute(delete(table).where(table.c.version == version))
    await connection.execute(delete(read_model_versions).where(read_model_versions.c.version == version))
