"""The inbox of a batch consumer: a poll's events recorded as processed, and told apart from those already were.

One statement per poll: ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` the rows it inserted, which are the new
events. A look-up first (``SELECT ... WHERE event_id IN (...)``) then an INSERT cost a statement more, and the
look-up was the slowest statement of reporting's ingest (issue 17): PostgreSQL planned an IN list of up to a
thousand parameters anew at every poll (38 ms a poll of 500). On PostgreSQL the rows go as one array per column,
unnested (``hopekit.db.unnested``), so the statement is the same whatever the poll's size. A concurrent
delivery of the same event (another replica's poll, before a rebalance settled) waits on the other transaction's
row and then counts as a duplicate, where the look-up missed it and the INSERT failed the whole poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.kit_tables import KitTables
from hopekit.db.unnested import insert_unnested
from hopekit.events.cloudevent import ReceivedEvent

# SQLite takes a poll in pages (a multi-row VALUES of five parameters a row, within its limit on parameters).
_SQLITE_PAGE = 500


@cache
def _unnested(inbox: Table) -> Any:
    """The PostgreSQL statement: the consumer and the time once, the events as three arrays."""
    statement = insert_unnested(inbox, ("source", "event_id", "type"), fixed=("consumer", "processed_at"))
    return statement.on_conflict_do_nothing().returning(inbox.c.source, inbox.c.event_id)


async def record_new(
    connection: AsyncConnection, tables: KitTables, consumer: str, events: Sequence[ReceivedEvent]
) -> list[ReceivedEvent]:
    """The events this consumer had not processed yet, in their order (a duplicate within the poll counts once),
    each now recorded in the inbox in the caller's transaction."""
    distinct = {(event.source, event.id): event.type for event in events}
    # In key order: two transactions recording the same events lock their rows in the same order.
    keys = sorted(distinct)
    now = datetime.now(UTC)
    inbox = tables.inbox
    inserted: set[tuple[str, str]] = set()
    if connection.dialect.name == "postgresql":
        parameters = {
            "consumer": consumer,
            "processed_at": now,
            "source": [source for source, _ in keys],
            "event_id": [event_id for _, event_id in keys],
            "type": [distinct[key] for key in keys],
        }
        inserted.update((row.source, row.event_id) for row in await connection.execute(_unnested(inbox), parameters))
    else:
        for start in range(0, len(keys), _SQLITE_PAGE):
            values = [
                {
                    "consumer": consumer,
                    "source": source,
                    "event_id": event_id,
                    "type": distinct[source, event_id],
                    "processed_at": now,
                }
                for source, event_id in keys[start : start + _SQLITE_PAGE]
            ]
            statement = sqlite.insert(inbox).values(values).on_conflict_do_nothing()
            rows = await connection.execute(statement.returning(inbox.c.source, inbox.c.event_id))
            inserted.update((row.source, row.event_id) for row in rows)
    fresh: list[ReceivedEvent] = []
    for event in events:
        key = (event.source, event.id)
        if key in inserted:
            inserted.discard(key)  # the first delivery of it in the poll is the one applied
            fresh.append(event)
    return fresh
