"""The unit of work: one transaction that commits a state change, its outbox rows and its audit rows together.

Services subclass it and build their repositories in ``_bind``; use cases never commit, the caller
(an API handler or an event handler) calls ``commit`` once the whole change is made.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Text, cast, delete, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hope_contracts import EventContract
from hopekit.audit_reason import fitted_reason
from hopekit.db.driver import driver_insert
from hopekit.db.kit_tables import AUDIT_REASON_LENGTH, KitTables
from hopekit.db.upsert import dialect_insert
from hopekit.events.context import current_event
from hopekit.events.ordering import assign_sequences
from hopekit.events.outbox import outbox_row
from hopekit.identity.principal import Principal
from hopekit.logs import request_id_var

# The audit log's organisation for what the platform does by itself (acting on another service's event).
PLATFORM_ORG = uuid.UUID(int=0)


@dataclass
class Database:
    """What a unit of work needs from the running service."""

    engine: AsyncEngine
    tables: KitTables
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    notify_channel: str | None = None


class UnitOfWork:
    connection: AsyncConnection
    # Set before entering, for a read (the kit sets it for GET requests): each statement is its own transaction,
    # which saves the BEGIN and COMMIT round trips, two of a read's five. A read's only write is its audit rows,
    # one INSERT at commit; it may not publish events. Its SELECTs see what they would in a transaction: at
    # READ COMMITTED, PostgreSQL gives each statement its own snapshot either way.
    autocommit: bool = False

    def __init__(self, database: Database) -> None:
        self._database = database
        self._outbox_rows: list[dict[str, Any]] = []
        self._audit_rows: list[dict[str, Any]] = []
        self._committed = False

    async def __aenter__(self) -> Self:
        self.connection = await self._database.engine.connect()
        if self.autocommit:
            await self.connection.execution_options(isolation_level="AUTOCOMMIT")
        else:
            await self.connection.begin()
        self._bind(self.connection)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                await self.connection.rollback()
        finally:
            await self.connection.close()

    def _bind(self, connection: AsyncConnection) -> None:
        """Subclasses create their repositories on this connection."""

    @property
    def tables(self) -> KitTables:
        return self._database.tables

    def publish(self, *contracts: EventContract) -> None:
        if self.autocommit:
            # The outbox row must be stored with the change it announces, in one transaction.
            raise RuntimeError("a read (autocommit unit of work) may not publish events")
        self._outbox_rows.extend(outbox_row(contract) for contract in contracts)

    def audit(
        self,
        principal: Principal,
        action: str,
        object_type: str,
        object_id: uuid.UUID | str,
        reason: str | None = None,
    ) -> None:
        self._audit_row(
            principal.subject, principal.org_id, request_id_var.get(), action, object_type, object_id, reason
        )

    def audit_event(self, action: str, object_type: str, object_id: uuid.UUID | str, reason: str | None = None) -> None:
        """The audit row of a change made on an incoming event rather than a request: the actor is the event's
        source, on behalf of no organisation (``PLATFORM_ORG``), and the event's id stands for the request id."""
        event = current_event.get()
        actor = f"event:{event.source}"[:160] if event is not None else "event"
        event_id = event.id if event is not None else None
        self._audit_row(actor, PLATFORM_ORG, event_id, action, object_type, object_id, reason)

    def _audit_row(
        self,
        actor: str,
        actor_org_id: uuid.UUID,
        request_id: str | None,
        action: str,
        object_type: str,
        object_id: uuid.UUID | str,
        reason: str | None,
    ) -> None:
        self._audit_rows.append(
            {
                "id": uuid.uuid4(),
                "at": datetime.now(UTC),
                "actor": actor,
                "actor_org_id": actor_org_id,
                "action": action,
                "object_type": object_type,
                "object_id": str(object_id),
                "request_id": request_id,
                "reason": None if reason is None else fitted_reason(reason, AUDIT_REASON_LENGTH),
            }
        )

    async def mark_processed(self, consumer: str, source: str, event_id: str, event_type: str) -> bool:
        """Record an incoming event in the inbox; False when this consumer already processed it."""
        # One statement, not a SELECT then an INSERT: a round trip less per event. A concurrent delivery of the
        # same event waits on the other transaction's row and then sees the conflict, as the SELECT would not.
        inbox = self.tables.inbox
        statement = dialect_insert(self.connection, inbox).values(
            consumer=consumer, source=source, event_id=event_id, type=event_type, processed_at=datetime.now(UTC)
        )
        inserted = await self.connection.scalar(statement.on_conflict_do_nothing().returning(inbox.c.event_id))
        return inserted is not None

    async def forget_stored_answers(self, subject_id: uuid.UUID) -> int:
        """Erasure: delete the answers kept for Idempotency-Key replays that name this subject (a registration's
        answer holds the person's identity). A replay of such a key afterwards runs the request anew. The scan
        is acceptable: erasures are rare and the keys table holds days, not years."""
        keys = self.tables.idempotency
        result = await self.connection.execute(delete(keys).where(cast(keys.c.response, Text).like(f"%{subject_id}%")))
        return int(result.rowcount or 0)

    async def commit(self) -> None:
        if self._outbox_rows:
            await assign_sequences(self.connection, self.tables, self._outbox_rows)
            await self.connection.execute(insert(self.tables.outbox), self._outbox_rows)
            if self._database.notify_channel:
                await self.connection.execute(
                    text("SELECT pg_notify(:channel, '')"), {"channel": self._database.notify_channel}
                )
        if self._audit_rows:
            # A read's audit rows (outside a transaction) go to the driver directly: see hopekit.db.driver.
            await driver_insert(self.tables.audit).execute(self.connection, self._audit_rows)
        await self.connection.commit()
        self._committed = True
        if self._outbox_rows:
            self._database.wakeup.set()
        self._outbox_rows = []
        self._audit_rows = []

    async def rollback(self) -> None:
        await self.connection.rollback()
        self._outbox_rows = []
        self._audit_rows = []
