"""Writing one version of the read models: the order-free writes of ``upserts`` with the version in every key,
and the few reads the use cases need (a session's lines, a claim's approved lines, who was erased)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import ColumnElement, Table, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters import upserts
from reporting_service.adapters.tables import (
    fact_attendance_lines,
    fact_claims,
    fact_erasures,
    fact_money,
    fact_money_movements,
    fact_sessions,
    metadata,
)
from reporting_service.domain.facts import AttendanceLine, MoneyKind

MONEY = ("committed", "released", "consumed", "claimed", "approved", "paid")


class MoneyPart(NamedTuple):
    """A person's part of a money movement on one budget line."""

    beneficiary_id: UUID
    budget_line_id: UUID
    agreement_id: UUID
    funder_id: UUID
    amount: Decimal


# Every table holding a person's rows under ``beneficiary_id``: what an erasure moves to a random pseudonym.
PERSON_TABLES: tuple[Table, ...] = tuple(
    table
    for table in metadata.sorted_tables
    if table.name.startswith("fact_") and "beneficiary_id" in table.c and table is not fact_erasures
)


class VersionFacts:
    """The read models of one version, inside the caller's transaction (no commits here)."""

    def __init__(self, connection: AsyncConnection, version: int) -> None:
        self.connection = connection
        self.version = version
        self._erased: dict[UUID, bool] = {}  # per person, as far as this transaction knows

    def _key(self, key: Mapping[str, Any]) -> dict[str, Any]:
        return {"version": self.version, **key}

    async def set_if_newer(
        self,
        table: Table,
        key: Mapping[str, Any],
        values: Mapping[str, Any],
        guard: str,
        tie: Callable[[Any], ColumnElement[bool]] | None = None,
    ) -> None:
        await upserts.set_if_newer(self.connection, table, self._key(key), values, guard, tie)

    async def update_if_newer(
        self, table: Table, key: Mapping[str, Any], values: Mapping[str, Any], guard: str
    ) -> None:
        """Overwrite ``values`` of an existing row unless its ``guard`` is after the new one."""
        stored = table.c[guard]
        where = [table.c[name] == value for name, value in self._key(key).items()]
        await self.connection.execute(
            update(table).where(*where, or_(stored.is_(None), stored <= values[guard])).values(dict(values))
        )

    async def set_fields(
        self,
        table: Table,
        key: Mapping[str, Any],
        values: Mapping[str, Any],
        on_creation: Mapping[str, Any] | None = None,
    ) -> None:
        await upserts.set_fields(self.connection, table, self._key(key), values, on_creation)

    async def earliest(self, table: Table, key: Mapping[str, Any], column: str, value: Any) -> None:
        await upserts.keep_extreme(self.connection, table, self._key(key), column, value, earliest=True)

    async def latest(self, table: Table, key: Mapping[str, Any], column: str, value: Any) -> None:
        await upserts.keep_extreme(self.connection, table, self._key(key), column, value, earliest=False)

    async def add(
        self,
        table: Table,
        key: Mapping[str, Any],
        amounts: Mapping[str, Any],
        on_creation: Mapping[str, Any] | None = None,
    ) -> None:
        await upserts.add(self.connection, table, self._key(key), amounts, on_creation)

    async def add_many(self, table: Table, rows: Sequence[Mapping[str, Any]], amounts: Sequence[str]) -> None:
        """``add`` for many rows of distinct keys in one statement."""
        await upserts.add_many(self.connection, table, [self._key(row) for row in rows], amounts)

    async def insert_once(self, table: Table, row: Mapping[str, Any]) -> bool:
        return await upserts.insert_once(self.connection, table, self._key(row))

    # Erasure ---------------------------------------------------------------------------------------------------

    async def is_erased(self, person: UUID) -> bool:
        return person in await self.erased_among([person])

    async def erased_among(self, people: Iterable[UUID]) -> set[UUID]:
        """Which of these people were erased in this version (one query for those this transaction has not
        asked about yet)."""
        people = set(people)
        unknown = people - self._erased.keys()
        if unknown:
            erasures = fact_erasures.c
            found = set(
                await self.connection.scalars(
                    select(erasures.beneficiary_id).where(
                        erasures.version == self.version, erasures.beneficiary_id.in_(unknown)
                    )
                )
            )
            self._erased.update({person: person in found for person in unknown})
        return {person for person in people if self._erased[person]}

    async def erase(self, person: UUID, at: Any) -> None:
        """Move the person's rows to a random pseudonym (the counts stay, the link is gone) and refuse them later."""
        if not await self.insert_once(fact_erasures, {"beneficiary_id": person, "erased_at": at}):
            return
        self._erased[person] = True
        stranger = uuid.uuid4()
        for table in PERSON_TABLES:
            await self.connection.execute(
                update(table)
                .where(table.c.version == self.version, table.c.beneficiary_id == person)
                .values(beneficiary_id=stranger)
            )

    # Attendance sheets -----------------------------------------------------------------------------------------

    async def sheet_at(self, session_id: UUID) -> Any:
        return await self.connection.scalar(
            select(fact_sessions.c.sheet_at).where(
                fact_sessions.c.version == self.version, fact_sessions.c.session_id == session_id
            )
        )

    async def session_lines(self, session_id: UUID) -> dict[UUID, tuple[int, Any, AttendanceLine]]:
        """The session's current lines: per person, (step, held_on, line)."""
        lines = fact_attendance_lines.c
        rows = await self.connection.execute(
            select(fact_attendance_lines).where(lines.version == self.version, lines.session_id == session_id)
        )
        return {
            row.beneficiary_id: (
                row.step,
                row.held_on,
                AttendanceLine(row.status, Decimal(row.session_hours), Decimal(row.hours_attended)),
            )
            for row in rows
        }

    async def replace_lines(self, session_id: UUID, rows: Iterable[Mapping[str, Any]]) -> None:
        lines = fact_attendance_lines.c
        await self.connection.execute(
            delete(fact_attendance_lines).where(lines.version == self.version, lines.session_id == session_id)
        )
        values = [self._key({"session_id": session_id, **row}) for row in rows]
        if values:
            await self.connection.execute(fact_attendance_lines.insert(), values)

    # Money -----------------------------------------------------------------------------------------------------

    async def move_money(self, kind: MoneyKind, movement_id: UUID, parts: Sequence[MoneyPart], at: Any) -> None:
        """People's parts of one movement, each counted once in ``fact_money`` however often it arrives."""
        if not parts:
            return
        moves = fact_money_movements.c
        rows = [
            self._key({"movement_id": movement_id, "kind": kind, "occurred_at": at, **part._asdict()}) for part in parts
        ]
        statement = upserts.insert(self.connection, fact_money_movements).values(rows)
        new = await self.connection.execute(
            statement.on_conflict_do_nothing(
                index_elements=["version", "movement_id", "beneficiary_id", "budget_line_id", "kind"]
            ).returning(moves.beneficiary_id, moves.agreement_id, moves.funder_id, moves.amount)
        )
        totals: dict[tuple[UUID, UUID], dict[str, Any]] = {}
        for person, agreement, funder, amount in new:
            row = totals.setdefault(
                (person, agreement),
                {"beneficiary_id": person, "agreement_id": agreement, "funder_id": funder, **dict.fromkeys(MONEY, 0)},
            )
            row[kind] += amount
        await self.add_many(fact_money, [totals[key] for key in sorted(totals)], MONEY)

    async def approved_lines(self, claim_id: UUID) -> dict[tuple[UUID, UUID], Decimal]:
        """The claim's approved amount per (person, budget line); empty before ``claim.approved`` arrived."""
        moves = fact_money_movements.c
        rows = await self.connection.execute(
            select(moves.beneficiary_id, moves.budget_line_id, moves.amount).where(
                moves.version == self.version, moves.movement_id == claim_id, moves.kind == "approved"
            )
        )
        return {(row.beneficiary_id, row.budget_line_id): Decimal(row.amount) for row in rows}

    async def claim(self, claim_id: UUID) -> Any:
        return (
            await self.connection.execute(
                select(fact_claims).where(fact_claims.c.version == self.version, fact_claims.c.claim_id == claim_id)
            )
        ).first()
