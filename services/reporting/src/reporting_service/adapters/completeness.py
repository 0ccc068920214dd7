"""Up to which event time the read models are complete, per topic and as a whole; and which version answers.

Each applied event raises its partition's mark (``read_model_positions``) in the transaction of its facts. A
topic is complete up to the oldest of its partitions' marks, the read models up to the oldest of the topics'.
This is cautious: a partition that has had no event for a while holds the mark back, it never runs ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_client import Gauge
from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters import upserts
from reporting_service.adapters.tables import read_model_positions, read_model_versions

COMPLETE_UP_TO = Gauge(
    "hope_reporting_complete_up_to_seconds",
    "Event time (Unix seconds) up to which the active read models hold a topic's events (oldest partition).",
    ["topic"],
)

# This process's view of the marks it raised, per topic and partition (seeded from the database per topic).
_marks: dict[str, dict[int, datetime]] = {}


async def active_version(connection: AsyncConnection) -> int | None:
    """The version of the read models every answer reads (None before the migrations made one)."""
    found = await connection.scalar(
        select(read_model_versions.c.version).where(read_model_versions.c.state == "active")
    )
    return int(found) if found is not None else None


async def topic_marks(connection: AsyncConnection, version: int | None = None) -> dict[str, datetime]:
    """Per topic, up to which event time the version (the active one by default) is complete."""
    version = version if version is not None else await active_version(connection)
    positions = read_model_positions.c
    rows = await connection.execute(
        select(positions.topic, func.min(positions.complete_up_to))
        .where(positions.version == version)
        .group_by(positions.topic)
    )
    return {topic: _utc(mark) for topic, mark in rows}


@dataclass(frozen=True)
class ReadModelsState:
    """Where the active read models stand: their version, how many transactions wrote it (``changes``: facts that
    changed change it) and up to which event time they are complete."""

    version: int | None
    changes: int
    complete_up_to: datetime | None


async def read_models_state(connection: AsyncConnection) -> ReadModelsState:
    """The active version, its count of changes and its marks, in one query."""
    positions, versions = read_model_positions.c, read_model_versions.c
    rows = (
        await connection.execute(
            select(versions.version, versions.changes, positions.topic, func.min(positions.complete_up_to))
            .select_from(read_model_versions.outerjoin(read_model_positions, positions.version == versions.version))
            .where(versions.state == "active")
            .group_by(versions.version, versions.changes, positions.topic)
        )
    ).all()
    if not rows:
        return ReadModelsState(None, 0, None)
    marks = [_utc(mark) for _, _, topic, mark in rows if topic is not None]
    return ReadModelsState(int(rows[0].version), int(rows[0].changes), min(marks) if marks else None)


async def note_changes(connection: AsyncConnection, written: list[int]) -> None:
    """Count one more change of each version a transaction wrote (in that transaction; in order of version, so
    that two transactions writing the same versions never wait on each other's rows crosswise)."""
    if written:
        versions = read_model_versions.c
        await connection.execute(
            update(read_model_versions)
            .where(versions.version.in_(sorted(written)))
            .values(changes=versions.changes + 1)
        )


async def complete_up_to(connection: AsyncConnection) -> datetime | None:
    """The event time up to which the active read models are complete: the oldest of the topics' marks (None
    when no event has been applied yet). Every indicator's answer says it."""
    marks = await topic_marks(connection)
    return min(marks.values()) if marks else None


async def raise_mark(
    connection: AsyncConnection, version: int, topic: str, partition: int, offset: int, at: datetime
) -> None:
    """Raise the partition's mark to ``at`` (never lower it), in the caller's transaction."""
    positions = read_model_positions.c
    statement = upserts.insert(connection, read_model_positions).values(
        version=version, topic=topic, partition=partition, complete_up_to=at, last_offset=offset
    )
    new = statement.excluded
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["version", "topic", "partition"],
            set_={
                "complete_up_to": case(
                    (new.complete_up_to > positions.complete_up_to, new.complete_up_to), else_=positions.complete_up_to
                ),
                "last_offset": case(
                    (new.last_offset > positions.last_offset, new.last_offset), else_=positions.last_offset
                ),
            },
        )
    )


async def publish_mark(connection: AsyncConnection, topic: str, partition: int, at: datetime) -> None:
    """Show the topic's mark on ``/metrics`` (the live consumer's process, for the active version)."""
    partitions = _marks.get(topic)
    if partitions is None:
        positions = read_model_positions.c
        version = await active_version(connection)
        rows = await connection.execute(
            select(positions.partition, positions.complete_up_to).where(
                positions.version == version, positions.topic == topic
            )
        )
        partitions = _marks[topic] = {row.partition: _utc(row.complete_up_to) for row in rows}
    if partition not in partitions or partitions[partition] < at:
        partitions[partition] = at
    COMPLETE_UP_TO.labels(topic).set(min(partitions.values()).timestamp())


def forget_marks() -> None:
    """After a switch of versions: the next events seed the marks again from the new active version."""
    _marks.clear()


def _utc(value: datetime) -> datetime:
    """SQLite gives naive instants back from an aggregate: they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
