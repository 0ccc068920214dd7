"""Needs, their changes and their actions as stored: a medical need's code, and the type and partner of an action
on it, only as ciphertexts."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from support_service.adapters.tables import actions, need_changes, needs, support_files
from support_service.domain.need import NeedChange
from support_service.domain.vocabulary import OPEN_NEED_STATUSES, NeedStatus, Priority


@dataclass(frozen=True)
class StoredNeed:
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    medical: bool
    code: str | None
    code_sealed: bytes | None
    priority: Priority
    due_on: date | None
    status: NeedStatus
    identified_at: datetime


@dataclass(frozen=True)
class StoredAction:
    id: UUID
    need_id: UUID
    type: str | None
    partner: str | None
    details_sealed: bytes | None
    on: date
    duration_minutes: int
    follow_up_on: date | None
    recorded_by: str
    recorded_at: datetime


def _need(m: Mapping[Any, Any]) -> StoredNeed:
    sealed = m["code_sealed"]
    return StoredNeed(
        m["id"],
        m["file_id"],
        m["beneficiary_id"],
        bool(m["medical"]),
        m["code"],
        bytes(sealed) if sealed is not None else None,
        Priority(m["priority"]),
        m["due_on"],
        NeedStatus(m["status"]),
        m["identified_at"],
    )


def _action(m: Mapping[Any, Any]) -> StoredAction:
    sealed = m["details_sealed"]
    return StoredAction(
        m["id"],
        m["need_id"],
        m["type"],
        m["partner"],
        bytes(sealed) if sealed is not None else None,
        m["on"],
        m["duration_minutes"],
        m["follow_up_on"],
        m["recorded_by"],
        m["recorded_at"],
    )


class NeedRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, need: StoredNeed, history: Sequence[NeedChange]) -> None:
        await self._connection.execute(
            insert(needs).values(
                id=need.id,
                file_id=need.file_id,
                beneficiary_id=need.beneficiary_id,
                medical=need.medical,
                code=need.code,
                code_sealed=need.code_sealed,
                priority=need.priority.value,
                due_on=need.due_on,
                status=need.status.value,
                identified_at=need.identified_at,
            )
        )
        await self.add_changes(need.id, history)

    async def update_state(
        self, need_id: UUID, status: NeedStatus, priority: Priority, due_on: date | None, history: Sequence[NeedChange]
    ) -> None:
        await self._connection.execute(
            update(needs)
            .where(needs.c.id == need_id)
            .values(status=status.value, priority=priority.value, due_on=due_on)
        )
        await self.add_changes(need_id, history)

    async def add_changes(self, need_id: UUID, history: Sequence[NeedChange]) -> None:
        if history:
            await self._connection.execute(
                insert(need_changes),
                [
                    {
                        "id": uuid.uuid4(),
                        "need_id": need_id,
                        "from_status": change.from_status.value if change.from_status else None,
                        "to_status": change.to_status.value,
                        "at": change.at,
                        "actor": change.actor,
                        "actor_org_id": change.actor_org_id,
                    }
                    for change in history
                ],
            )

    async def get(self, need_id: UUID) -> StoredNeed | None:
        row = (await self._connection.execute(select(needs).where(needs.c.id == need_id))).first()
        return _need(row._mapping) if row is not None else None

    async def of_file(self, file_id: UUID) -> list[StoredNeed]:
        rows = await self._connection.execute(
            select(needs).where(needs.c.file_id == file_id).order_by(needs.c.identified_at, needs.c.id)
        )
        return [_need(row._mapping) for row in rows]

    async def overdue(self, org_id: UUID | None, *, medical: bool, today: date, limit: int) -> list[StoredNeed]:
        """Open needs of open files whose due date has passed, oldest first; `org_id` None means every
        organisation's files (the operator's view); medical needs only when `medical`."""
        query = (
            select(needs)
            .join(support_files, support_files.c.id == needs.c.file_id)
            .where(
                needs.c.status.in_([s.value for s in OPEN_NEED_STATUSES]),
                needs.c.due_on < today,
                support_files.c.status != "closed",
            )
            .order_by(needs.c.due_on, needs.c.id)
            .limit(limit)
        )
        if org_id is not None:
            query = query.where(support_files.c.support_org_id == org_id)
        if not medical:
            query = query.where(needs.c.medical.is_(False))
        return [_need(row._mapping) for row in await self._connection.execute(query)]

    async def follow_ups(
        self, org_id: UUID | None, *, medical: bool, first: date, last: date, limit: int
    ) -> list[tuple[StoredAction, StoredNeed]]:
        """Actions whose follow-up falls in [first, last], with their need, on open files."""
        query = (
            select(actions, needs)
            .join(needs, needs.c.id == actions.c.need_id)
            .join(support_files, support_files.c.id == needs.c.file_id)
            .where(
                actions.c.follow_up_on >= first,
                actions.c.follow_up_on <= last,
                support_files.c.status != "closed",
            )
            .order_by(actions.c.follow_up_on, actions.c.id)
            .limit(limit)
        )
        if org_id is not None:
            query = query.where(support_files.c.support_org_id == org_id)
        if not medical:
            query = query.where(needs.c.medical.is_(False))
        found = []
        for row in await self._connection.execute(query):
            m = row._mapping
            action = _action({c.name: m[actions.c[c.name]] for c in actions.columns})
            need = _need({c.name: m[needs.c[c.name]] for c in needs.columns})
            found.append((action, need))
        return found

    async def add_action(self, action: StoredAction) -> None:
        await self._connection.execute(
            insert(actions).values(
                id=action.id,
                need_id=action.need_id,
                type=action.type,
                partner=action.partner,
                details_sealed=action.details_sealed,
                on=action.on,
                duration_minutes=action.duration_minutes,
                follow_up_on=action.follow_up_on,
                recorded_by=action.recorded_by,
                recorded_at=action.recorded_at,
            )
        )

    async def actions_of(self, need_id: UUID) -> list[StoredAction]:
        rows = await self._connection.execute(
            select(actions).where(actions.c.need_id == need_id).order_by(actions.c.on, actions.c.id)
        )
        return [_action(row._mapping) for row in rows]

    async def count_of(self, beneficiary_id: UUID) -> int:
        rows = await self._connection.execute(select(needs.c.id).where(needs.c.beneficiary_id == beneficiary_id))
        return len(rows.all())

    async def pseudonymise(self, beneficiary_id: UUID, pseudonym: UUID) -> None:
        """Erasure: the needs stay as counts under a pseudonym nobody can link back; sealed codes stay sealed
        under a destroyed key."""
        await self._connection.execute(
            update(needs).where(needs.c.beneficiary_id == beneficiary_id).values(beneficiary_id=pseudonym)
        )
