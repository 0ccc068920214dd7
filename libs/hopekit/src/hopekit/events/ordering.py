"""Per-key order of events: sequence numbers given at write time, stale events recognised at read time.

Writing: each outbox key (the Kafka key: the person, else the aggregate) has a counter in ``outbox_sequences``;
the unit of work takes the next numbers with one upsert per key inside its own transaction. On PostgreSQL the
upsert locks the counter row until commit, so two transactions writing the same key are serialised and their
numbers follow their commit order; SQLite has one writer at a time anyway.

Reading, the rule: a consumer keeps, per (consumer, source, key), the highest sequence it applied
(``consumer_streams``), updated in the handler's transaction. An event whose sequence is not above that mark is
stale: the consumer already applied a later event of that aggregate, so it is skipped (counted in
``hope_consumer_stale_events_skipped_total`` and logged), not applied and not dead-lettered. Gaps are allowed
(a consumer does not handle every type). An event without a sequence (written before the kit's v2 tables) is
applied as before. A dead letter replayed after a later event of its key was applied is therefore skipped too:
replaying it on purpose means lowering that key's mark first.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from functools import cache
from typing import Any

from opentelemetry.trace import SpanKind
from sqlalchemy import Table, any_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit import metrics, tracing
from hopekit.db.kit_tables import KitTables
from hopekit.db.unnested import array_of, insert_unnested
from hopekit.db.upsert import dialect_insert
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.logs import traceparent_var

log = logging.getLogger(__name__)

_TRACEPARENT = re.compile(r"^00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-([0-9a-f]{2})$")


_KEYS_PER_STATEMENT = 1000


async def assign_sequences(connection: AsyncConnection, tables: KitTables, rows: Sequence[dict[str, Any]]) -> None:
    """Give each outbox row the next sequence number of its key, in the order of ``rows``."""
    if not rows:
        return
    counts = Counter(str(row["key"]) for row in rows)
    counters = tables.outbox_sequences
    keys = sorted(counts)
    following: dict[str, int] = {}
    # One statement per chunk of keys (within any driver's limit on parameters), in a stable order: two
    # transactions writing the same keys lock their counters in the same order.
    for start in range(0, len(keys), _KEYS_PER_STATEMENT):
        chunk = keys[start : start + _KEYS_PER_STATEMENT]
        statement = dialect_insert(connection, counters).values(
            [{"key": key, "last_sequence": counts[key]} for key in chunk]
        )
        statement = statement.on_conflict_do_update(
            index_elements=[counters.c.key],
            set_={"last_sequence": counters.c.last_sequence + statement.excluded.last_sequence},
        ).returning(counters.c.key, counters.c.last_sequence)
        for key, last in (await connection.execute(statement)).all():
            following[str(key)] = int(last) - counts[str(key)] + 1
    for row in rows:
        key = str(row["key"])
        row["sequence"] = following[key]
        following[key] += 1


def _raise_marks(connection: AsyncConnection, tables: KitTables, marks: Sequence[dict[str, Any]]) -> Any:
    """The one statement that raises order marks (``consumer``, ``source``, ``key``, ``last_sequence`` per row): a
    mark only ever goes up, so an event is stale exactly when its sequence is not above the stored mark."""
    streams = tables.consumer_streams
    statement = dialect_insert(connection, streams).values(list(marks))
    return statement.on_conflict_do_update(
        index_elements=[streams.c.consumer, streams.c.source, streams.c.key],
        set_={"last_sequence": statement.excluded.last_sequence},
        where=streams.c.last_sequence < statement.excluded.last_sequence,
    )


def _stale(mark: int | None, sequence: int) -> bool:
    return mark is not None and sequence <= mark


async def _advance(connection: AsyncConnection, tables: KitTables, consumer: str, event: ReceivedEvent) -> bool:
    """Raise the consumer's mark for the event's key to its sequence; False when the mark is already there."""
    mark = {"consumer": consumer, "source": event.source, "key": _stream_key(event), "last_sequence": event.sequence}
    statement = _raise_marks(connection, tables, [mark]).returning(tables.consumer_streams.c.last_sequence)
    return (await connection.scalar(statement)) is not None


async def advance_many(
    connection: AsyncConnection, tables: KitTables, consumer: str, events: Sequence[ReceivedEvent]
) -> list[ReceivedEvent]:
    """``_advance`` for a batch, in two statements: the events that are not stale, in their order (an event stale
    against the stored mark or against an earlier event of the batch is counted and left out), and each key's
    mark raised to the highest sequence applied."""
    streams = tables.consumer_streams
    keys = sorted({_stream_key(event) for event in events if event.sequence is not None})
    if not keys:
        return list(events)
    if connection.dialect.name == "postgresql":
        rows = await connection.execute(_marks_of(streams), {"consumer": consumer, "key": keys})
    else:
        rows = await connection.execute(
            select(streams.c.source, streams.c.key, streams.c.last_sequence).where(
                streams.c.consumer == consumer, streams.c.key.in_(keys)
            )
        )
    marks: dict[tuple[str, str], int] = {(row.source, row.key): int(row.last_sequence) for row in rows}
    raised: dict[tuple[str, str], int] = {}
    kept: list[ReceivedEvent] = []
    for event in events:
        if event.sequence is None:
            kept.append(event)
            continue
        stream = (event.source, _stream_key(event))
        if _stale(marks.get(stream), event.sequence):
            metrics.STALE_SKIPPED.labels(consumer, event.type).inc()
            continue
        marks[stream] = raised[stream] = event.sequence
        kept.append(event)
    if raised and connection.dialect.name == "postgresql":
        ordered = sorted(raised.items())
        arrays = {
            "source": [source for (source, _), _ in ordered],
            "key": [key for (_, key), _ in ordered],
            "last_sequence": [sequence for _, sequence in ordered],
        }
        await connection.execute(_raise_unnested(streams), {"consumer": consumer, **arrays})
    elif raised:
        values = [
            {"consumer": consumer, "source": source, "key": key, "last_sequence": sequence}
            for (source, key), sequence in sorted(raised.items())
        ]
        await connection.execute(_raise_marks(connection, tables, values))
    return kept


@cache
def _marks_of(streams: Table) -> Any:
    """PostgreSQL: a consumer's marks of the keys given as one array (``hopekit.db.unnested``)."""
    return select(streams.c.source, streams.c.key, streams.c.last_sequence).where(
        streams.c.consumer == bindparam("consumer"), streams.c.key == any_(array_of(streams, "key"))
    )


@cache
def _raise_unnested(streams: Table) -> Any:
    """PostgreSQL: ``_raise_marks`` for the marks given as arrays, the same statement whatever their count."""
    statement = insert_unnested(streams, ("source", "key", "last_sequence"), fixed=("consumer",))
    return statement.on_conflict_do_update(
        index_elements=[streams.c.consumer, streams.c.source, streams.c.key],
        set_={"last_sequence": statement.excluded.last_sequence},
        where=streams.c.last_sequence < statement.excluded.last_sequence,
    )


def _stream_key(event: ReceivedEvent) -> str:
    return event.key or event.subject or ""


def child_traceparent(parent: str | None) -> str | None:
    """The same trace with a new span id: the consumer's work is a new step of the request that caused it."""
    matched = _TRACEPARENT.match(parent or "")
    if matched is None:
        return None
    return f"00-{matched.group(1)}-{os.urandom(8).hex()}-{matched.group(2)}"


async def apply_in_order(
    connection: AsyncConnection,
    tables: KitTables,
    consumer: str,
    event: ReceivedEvent,
    handle: Callable[[], Awaitable[None]],
) -> bool:
    """Run ``handle`` for ``event`` unless it is stale, inside the caller's transaction; True when it ran.

    The event's trace context is the log context (and the trace of any event the handler publishes) meanwhile.
    """
    token = traceparent_var.set(child_traceparent(event.traceparent) or traceparent_var.get())
    try:
        with tracing.span(f"{event.type} process", SpanKind.CONSUMER, event.traceparent):
            return await _apply(connection, tables, consumer, event, handle)
    finally:
        traceparent_var.reset(token)


async def _apply(
    connection: AsyncConnection,
    tables: KitTables,
    consumer: str,
    event: ReceivedEvent,
    handle: Callable[[], Awaitable[None]],
) -> bool:
    if event.sequence is not None and not await _advance(connection, tables, consumer, event):
        metrics.STALE_SKIPPED.labels(consumer, event.type).inc()
        log.info(
            "stale event skipped: %s applied a later event of this key",
            consumer,
            extra={"event_id": event.id, "source": event.source, "sequence": event.sequence},
        )
        return False
    try:
        await handle()
    except Exception:
        metrics.HANDLER_FAILURES.labels(consumer, event.type).inc()
        raise
    return True
