"""Writing one version of the read models: the order-free writes of ``upserts`` with the version in every key,
held in ``pending`` and sent set-based (one statement per table and rule) when the transaction commits or before
a read, and the few reads the use cases need (a session's lines, a claim's approved lines, who was erased).

The tables several consumer groups write (``SHARED``: a person's row and steps) are written last, under the
people's writer lock (``take_writer_lock``), held to the transaction's end: two transactions write them one after
the other. Two groups' polls wrote the same people's ``fact_people`` rows with statements of their own (one per
rule and columns), each sorted by key, and met them in opposite orders: a deadlock about once in seven benchmark
runs (issue 17). The other tables, each written by one group, come first and without the lock, each statement's
rows in key order (a rebuild's reader and the live group of its topic both write the version being built), so
that one group's writes there go on while another's hold the lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.sets import among
from reporting_service.adapters import summaries, upserts
from reporting_service.adapters.hours import HOURS, Key, PendingHours
from reporting_service.adapters.levels import attest_levels
from reporting_service.adapters.pending import PendingWrites, in_key_order
from reporting_service.adapters.tables import (
    fact_attendance_lines,
    fact_claims,
    fact_erasures,
    fact_money,
    fact_money_movements,
    fact_people,
    fact_person_steps,
    fact_sessions,
    metadata,
)
from reporting_service.adapters.tables_scoping import funder_organisations
from reporting_service.domain.facts import AttendanceLine, HoursTotals, MoneyKind, Movement, beyond_commitment

MONEY = ("committed", "released", "consumed", "claimed", "approved", "paid")
# A consumption whose event says how much was drawn from the person's commitment is kept as its two parts, each
# when not zero: ``drawn`` (from the commitment) and ``beyond`` (the rest); one without is kept whole (``consumed``).
SAID = ("drawn", "beyond")
# The ``fact_money`` totals each kind of movement adds to (``unsplit`` marks add to none).
TOTALS: dict[str, tuple[str, ...]] = {
    **{kind: (kind,) for kind in MONEY},
    "drawn": ("consumed",),
    "beyond": ("consumed", "beyond_commitment"),
}
COLUMNS = ("committed", "released", "consumed", "claimed", "approved", "paid", "beyond_commitment")
# The movements that change what is engaged beyond a commitment (``fact_money.beyond_commitment``).
ENGAGING = ("committed", "released", "consumed", *SAID)
# The movement id of a person's mark on a budget line (kind ``unsplit``): one of their consumptions there did not
# say how much of it was drawn from their commitment, so the line is replayed (``domain.facts.beyond_commitment``).
UNSPLIT = UUID(int=0)
# Its time: one for every mark, so a mark is the same row whichever consumption brought it first.
UNSPLIT_AT = datetime(1970, 1, 1, tzinfo=UTC)


class MoneyPart(NamedTuple):
    """A person's part of a money movement on one budget line."""

    beneficiary_id: UUID
    budget_line_id: UUID
    agreement_id: UUID
    funder_id: UUID
    amount: Decimal
    # A consumption's part drawn from (negative: given back to) the person's commitment, as funding said; None
    # from an older publisher (or for another kind of movement).
    from_commitment: Decimal | None = None


# The tables more than one consumer group writes (enrolment, training, support and employment write people's
# rows; enrolment and training their steps, and ``adapters.levels`` the step-3 level): written under the lock.
SHARED = frozenset({fact_people.name, fact_person_steps.name})
# The people's writer lock: a transaction-level advisory lock, its keys "rp" (reporting's people) and 0. One lock
# for every version: a live poll writes each version being fed, a rebuild's batch the new one alone.
WRITER_LOCK = (0x7270, 0)


async def take_writer_lock(connection: AsyncConnection) -> None:
    """Wait until no other transaction writes the ``SHARED`` tables, then keep them to this one until it ends
    (PostgreSQL; on SQLite writers are one at a time already)."""
    if connection.dialect.name == "postgresql":
        await connection.execute(select(func.pg_advisory_xact_lock(*WRITER_LOCK)))


# Every table holding a person's rows under ``beneficiary_id``: what an erasure moves to a random pseudonym.
PERSON_TABLES: tuple[Table, ...] = tuple(
    table
    for table in metadata.sorted_tables
    if table.name.startswith("fact_") and "beneficiary_id" in table.c and table is not fact_erasures
)


class VersionFacts:
    """The read models of one version, inside the caller's transaction (no commits here). Writes wait in
    ``pending`` until ``flush`` (the unit of work's commit, or a read of the facts here)."""

    def __init__(self, connection: AsyncConnection, version: int, notes_due: bool = True) -> None:
        """``notes_due``: note the cohorts its writes touch as due to be summed again (``summaries.note_due``);
        not a rebuild's batches, whose version is summed whole when it is switched to (``versions.activate``)."""
        self.connection = connection
        self.version = version
        self._notes_due = notes_due
        self._erased: dict[UUID, bool] = {}  # per person, as far as this transaction knows
        self._erased_people: set[UUID] = set()  # those of them erased
        self._pending = PendingWrites()
        # Money movements waiting: their insert says which are new, and only those move ``fact_money``.
        self._movements: dict[tuple[Any, ...], dict[str, Any]] = {}
        # Attendance sheets waiting: per session, the lines that replace its stored ones; and the hours they move.
        self._sheets: dict[UUID, list[dict[str, Any]]] = {}
        self._hours = PendingHours()
        # A batch's sessions read ahead (``prefetch_sessions``): sheet time and lines, each used once.
        self._sheet_at: dict[UUID, datetime | None] = {}
        self._lines: dict[UUID, dict[UUID, tuple[int, Any, AttendanceLine]]] = {}
        # People whose step-3 end or French assessments moved: their level at the end of step 3 is due again.
        self._levels_due: set[UUID] = set()
        self._locked = False  # whether this transaction took the writer lock (for this version: once is enough)

    def _key(self, key: Mapping[str, Any]) -> dict[str, Any]:
        return {"version": self.version, **key}

    async def _lock(self) -> None:
        """Before the transaction's first write to the ``SHARED`` tables: the writer lock."""
        if not self._locked:
            await take_writer_lock(self.connection)
            self._locked = True

    async def flush(self) -> None:
        """Send every waiting write: movements first (they add to ``fact_money``), sheets, the tables one group
        writes, then under the writer lock the ``SHARED`` ones and the levels."""
        for table, rows in self._hours.take(self.version):
            self._pending.write_many("add", table, rows, HOURS)
        # The indicators' summaries of the cohorts these people were in and are in are due to be summed again.
        people: set[UUID] = set()
        cohorts: set[UUID | None] = set()
        if self._notes_due:
            people = summaries.people_written(self._pending, self._movements.values(), *self._sheets.values())
            cohorts = await summaries.cohorts_of(self.connection, self.version, people)
            cohorts |= summaries.cohorts_written(self._pending)
        await self._write_movements()
        await self._write_sheets()
        await self._pending.flush(self.connection, lambda table: table.name not in SHARED)
        due, self._levels_due = self._levels_due, set()
        if self._pending or due:
            await self._lock()
            await self._pending.flush(self.connection)
            if due:
                await attest_levels(self.connection, self.version, sorted(due, key=str))
        if self._notes_due:
            await summaries.note_due(self.connection, self.version, people, cohorts)

    def level_due(self, person: UUID) -> None:
        """The person's step-3 end or French assessments moved: their level at the end of step 3 is recomputed
        when the writes are sent."""
        self._levels_due.add(person)

    async def set_if_newer(
        self, table: Table, key: Mapping[str, Any], values: Mapping[str, Any], guard: str, tie: str | None = None
    ) -> None:
        """Insert the row, or overwrite ``values`` (``guard`` among them) unless the stored ``guard`` is after the
        new one; ``tie``: the column that decides an equal guard (by default the event wins)."""
        self._pending.write("newer", table, {**self._key(key), **values}, list(values), guard, tie)

    async def set_fields(
        self,
        table: Table,
        key: Mapping[str, Any],
        values: Mapping[str, Any],
        on_creation: Mapping[str, Any] | None = None,
    ) -> None:
        """Insert the row or overwrite ``values``; ``on_creation``: values a new row starts with."""
        row = {**self._key(key), **(on_creation or {}), **values}
        self._pending.write("fields", table, row, list(values))

    async def earliest(self, table: Table, key: Mapping[str, Any], column: str, value: Any) -> None:
        self._pending.write("earliest", table, {**self._key(key), column: value}, [column])

    async def latest(self, table: Table, key: Mapping[str, Any], column: str, value: Any) -> None:
        self._pending.write("latest", table, {**self._key(key), column: value}, [column])

    def move_hours(self, changes: Iterable[tuple[Key, HoursTotals]]) -> None:
        """Move people's attendance totals, each change on its (person, step, first day of the month): their
        step's, that month's on the step and that month's over steps (``adapters.hours``)."""
        self._hours.move(changes)

    async def insert_once(self, table: Table, row: Mapping[str, Any]) -> None:
        self._pending.write("once", table, self._key(row), [])

    async def link_funder(self, funder_id: UUID, org_id: UUID, at: datetime) -> None:
        """The funder is this organisation (the latest agreement saying so wins). Not versioned: one link per
        funder whatever version answers, written alike by every version fed."""
        row = {"funder_id": funder_id, "org_id": org_id, "linked_at": at}
        self._pending.write("newer", funder_organisations, row, ["org_id", "linked_at"], "linked_at")

    # Erasure ---------------------------------------------------------------------------------------------------

    async def is_erased(self, person: UUID) -> bool:
        known = self._erased.get(person)  # asked for every event naming a person: mostly known (read ahead)
        return known if known is not None else person in await self.erased_among([person])

    async def erased_among(self, people: Iterable[UUID]) -> set[UUID]:
        """Which of these people were erased in this version (one query for those this transaction has not
        asked about yet)."""
        people = set(people)
        # Set operations with the dict and the set of the erased: they reuse the hashes ``people`` holds, where a
        # loop hashed each person again (``UUID.__hash__`` runs in Python; a batch asks about each of its people
        # at least twice). Not ``people - self._erased.keys()``: that walks every person this transaction has seen.
        unknown = sorted(people.difference(self._erased), key=attrgetter("int"))
        erasures = fact_erasures.c
        for start in range(0, len(unknown), 5000):
            asked = unknown[start : start + 5000]
            found = set(
                await self.connection.scalars(
                    select(erasures.beneficiary_id).where(
                        erasures.version == self.version, among(self.connection, erasures.beneficiary_id, asked)
                    )
                )
            )
            self._erased.update(dict.fromkeys(asked, False))
            self._erased.update(dict.fromkeys(found, True))
            self._erased_people |= found
        return people & self._erased_people

    async def erase(self, person: UUID, at: Any) -> None:
        """Move the person's rows to a random pseudonym (the counts stay, the link is gone) and refuse them later."""
        await self.flush()
        erasure = self._key({"beneficiary_id": person, "erased_at": at})
        if not await upserts.insert_new(self.connection, fact_erasures, erasure):
            return
        self._erased[person] = True
        self._erased_people.add(person)
        stranger = uuid.uuid4()
        # The tables one group writes first, then the ``SHARED`` ones under the lock, as ``flush`` writes them.
        for table in sorted(PERSON_TABLES, key=lambda table: table.name in SHARED):
            if table.name in SHARED:
                await self._lock()
            await self.connection.execute(
                update(table)
                .where(table.c.version == self.version, table.c.beneficiary_id == person)
                .values(beneficiary_id=stranger)
            )

    # Attendance sheets -----------------------------------------------------------------------------------------

    async def prefetch_sessions(self, session_ids: Iterable[UUID]) -> None:
        """Read the sheet times and lines of a batch's sessions in two queries (``sheet_at`` and
        ``session_lines`` then answer from memory, once each)."""
        asked = sorted(set(session_ids) - self._sheet_at.keys())
        if not asked:
            return
        await self.flush()
        sessions, lines = fact_sessions.c, fact_attendance_lines.c
        self._sheet_at.update(dict.fromkeys(asked))
        self._lines.update({session: {} for session in asked})
        for start in range(0, len(asked), 5000):
            part = asked[start : start + 5000]
            found = await self.connection.execute(
                select(sessions.session_id, sessions.sheet_at).where(
                    sessions.version == self.version, among(self.connection, sessions.session_id, part)
                )
            )
            self._sheet_at.update({row.session_id: row.sheet_at for row in found})
            rows = await self.connection.execute(
                select(fact_attendance_lines).where(
                    lines.version == self.version, among(self.connection, lines.session_id, part)
                )
            )
            for row in rows:
                self._lines[row.session_id][row.beneficiary_id] = _line(row)

    async def sheet_at(self, session_id: UUID) -> Any:
        if session_id in self._sheet_at:
            return self._sheet_at.pop(session_id)
        self._lines.pop(session_id, None)  # read ahead before writes this transaction may have made since
        await self.flush()
        return await self.connection.scalar(
            select(fact_sessions.c.sheet_at).where(
                fact_sessions.c.version == self.version, fact_sessions.c.session_id == session_id
            )
        )

    async def session_lines(self, session_id: UUID) -> dict[UUID, tuple[int, Any, AttendanceLine]]:
        """The session's current lines: per person, (step, held_on, line)."""
        if session_id in self._lines:
            return self._lines.pop(session_id)
        await self.flush()
        lines = fact_attendance_lines.c
        rows = await self.connection.execute(
            select(fact_attendance_lines).where(lines.version == self.version, lines.session_id == session_id)
        )
        return {row.beneficiary_id: _line(row) for row in rows}

    async def replace_lines(self, session_id: UUID, rows: Iterable[Mapping[str, Any]]) -> None:
        self._sheets[session_id] = [self._key({"session_id": session_id, **row}) for row in rows]

    async def _write_sheets(self) -> None:
        sheets, self._sheets = self._sheets, {}
        if not sheets:
            return
        lines = fact_attendance_lines.c
        sessions = sorted(sheets)
        for start in range(0, len(sessions), 5000):
            await self.connection.execute(
                delete(fact_attendance_lines).where(
                    lines.version == self.version,
                    among(self.connection, lines.session_id, sessions[start : start + 5000]),
                )
            )
        values = [row for session in sessions for row in sheets[session]]
        # The sessions' lines are gone: each is new (``insert_once`` sends them in one execution).
        await upserts.insert_once(self.connection, fact_attendance_lines, values)

    # Money -----------------------------------------------------------------------------------------------------

    async def move_money(self, kind: MoneyKind, movement_id: UUID, parts: Sequence[MoneyPart], at: Any) -> None:
        """People's parts of one movement, each counted once in ``fact_money`` however often it arrives. A
        consumption's part that says how much of it was drawn from the person's commitment is kept as that
        (``drawn``) and the rest (``beyond``); one from an older publisher is kept whole and leaves the person's
        line to the replay (an ``unsplit`` mark)."""
        for part in parts:
            said = part.from_commitment if kind == "consumed" else None
            amounts: list[tuple[str, Decimal]] = [(kind, part.amount)]
            if said is not None:
                # Its parts that are not zero; a consumption of nothing is still one (a drawn part of zero), as
                # it was whole.
                amounts = [(name, value) for name, value in (("drawn", said), ("beyond", part.amount - said)) if value]
                amounts = amounts or [("drawn", said)]
            for stored, amount in amounts:
                key = (movement_id, part.beneficiary_id, part.budget_line_id, stored)
                if key in self._movements:
                    continue
                self._movements[key] = {
                    "version": self.version,
                    "movement_id": movement_id,
                    "beneficiary_id": part.beneficiary_id,
                    "budget_line_id": part.budget_line_id,
                    "kind": stored,
                    "agreement_id": part.agreement_id,
                    "funder_id": part.funder_id,
                    "amount": amount,
                    "occurred_at": at,
                }
            if kind == "consumed" and said is None:
                mark = {**self._movements[(movement_id, part.beneficiary_id, part.budget_line_id, kind)]}
                mark.update(movement_id=UNSPLIT, kind="unsplit", amount=Decimal(0), occurred_at=UNSPLIT_AT)
                self._movements.setdefault((UNSPLIT, part.beneficiary_id, part.budget_line_id, "unsplit"), mark)

    async def _write_movements(self) -> None:
        movements, self._movements = self._movements, {}
        # In key order, so concurrent transactions lock rows in the same order (the keys' UUIDs compared as their
        # numbers, not by ``UUID.__lt__`` in Python: that was a tenth of a funding poll's CPU).
        rows = [movements[key] for key in sorted(movements, key=in_key_order)]
        totals: dict[tuple[UUID, UUID], dict[str, Any]] = {}
        engaged: set[tuple[UUID, UUID]] = set()
        if rows:
            by = ("beneficiary_id", "agreement_id", "funder_id", "kind")
            new = await upserts.insert_new_summed(self.connection, fact_money_movements, rows, by, "amount")
            for person, agreement, funder, kind, amount in new:
                if kind not in TOTALS:
                    continue
                row = totals.get((person, agreement))
                if row is None:
                    row = totals[person, agreement] = {
                        "beneficiary_id": person,
                        "agreement_id": agreement,
                        "funder_id": funder,
                        **dict.fromkeys(COLUMNS, 0),
                    }
                for column in TOTALS[kind]:
                    row[column] += amount
                if kind in ENGAGING:
                    engaged.add((person, agreement))
        # Written now, not held in ``pending``: the upsert locks the people's rows until commit, so a concurrent
        # writer of the same people replays their movements only after this transaction's are in.
        money_rows = [self._key(totals[key]) for key in sorted(totals, key=in_key_order)]
        await upserts.add(self.connection, fact_money, money_rows, COLUMNS)
        await self._replay_commitments(await self._unsplit_among(engaged))

    async def _unsplit_among(self, pairs: set[tuple[UUID, UUID]]) -> list[tuple[UUID, UUID]]:
        """Which of these (person, agreement) have a consumption that did not say where it was drawn from: only
        those are replayed (a look-up of their marks by primary key, not of their movements)."""
        if not pairs:
            return []
        moves = fact_money_movements.c
        people = sorted({person for person, _ in pairs}, key=str)
        found: set[tuple[UUID, UUID]] = set()
        for start in range(0, len(people), 5000):
            rows = await self.connection.execute(
                select(moves.beneficiary_id, moves.agreement_id).where(
                    moves.version == self.version,
                    moves.movement_id == UNSPLIT,
                    among(self.connection, moves.beneficiary_id, people[start : start + 5000]),
                    moves.kind == "unsplit",
                )
            )
            found.update((row.beneficiary_id, row.agreement_id) for row in rows)
        return sorted(found & pairs, key=str)

    async def _replay_commitments(self, pairs: list[tuple[UUID, UUID]]) -> None:
        """``fact_money.beyond_commitment`` of each (person, agreement) from all their movements there, in the
        order funding posted them (``domain.facts.beyond_commitment``)."""
        if not pairs:
            return
        moves = fact_money_movements.c
        # Per line, its movements in order; a consumption kept as its parts is one: [kind, amount, drawn].
        found: dict[tuple[UUID, UUID, UUID], dict[tuple[UUID, str], list[Any]]] = {}
        for start in range(0, len(pairs), 2000):
            chunk = set(pairs[start : start + 2000])
            rows = await self.connection.execute(
                select(
                    moves.beneficiary_id,
                    moves.agreement_id,
                    moves.budget_line_id,
                    moves.movement_id,
                    moves.kind,
                    moves.amount,
                )
                .where(
                    moves.version == self.version,
                    among(self.connection, moves.beneficiary_id, sorted({person for person, _ in chunk}, key=str)),
                    among(self.connection, moves.agreement_id, sorted({agreement for _, agreement in chunk}, key=str)),
                    moves.kind.in_(ENGAGING),
                )
                # The order funding posted them in (the event times are its ledger's), ties by id.
                .order_by(moves.occurred_at, moves.movement_id)
            )
            for row in rows:
                if (row.beneficiary_id, row.agreement_id) not in chunk:  # another pair of the people and agreements
                    continue
                line = found.setdefault((row.beneficiary_id, row.agreement_id, row.budget_line_id), {})
                amount = Decimal(row.amount)
                if row.kind in SAID:
                    movement = line.setdefault((row.movement_id, "said"), ["consumed", Decimal(0), Decimal(0)])
                    movement[1] += amount
                    if row.kind == "drawn":
                        movement[2] += amount
                else:
                    line[(row.movement_id, row.kind)] = [row.kind, amount, None]
        beyond = dict.fromkeys(pairs, Decimal(0))
        for (person, agreement, _), movements in found.items():
            beyond[(person, agreement)] += beyond_commitment(Movement(*movement) for movement in movements.values())
        values = [
            {"b_version": self.version, "b_person": person, "b_agreement": agreement, "beyond": amount}
            for (person, agreement), amount in beyond.items()
        ]
        money = fact_money.c
        await self.connection.execute(
            update(fact_money)
            .where(
                money.version == bindparam("b_version"),
                money.beneficiary_id == bindparam("b_person"),
                money.agreement_id == bindparam("b_agreement"),
            )
            .values(beyond_commitment=bindparam("beyond")),
            values,
        )

    async def approved_lines(self, claim_id: UUID) -> dict[tuple[UUID, UUID], Decimal]:
        """The claim's approved amount per (person, budget line); empty before ``claim.approved`` arrived."""
        await self.flush()
        moves = fact_money_movements.c
        rows = await self.connection.execute(
            select(moves.beneficiary_id, moves.budget_line_id, moves.amount).where(
                moves.version == self.version, moves.movement_id == claim_id, moves.kind == "approved"
            )
        )
        return {(row.beneficiary_id, row.budget_line_id): Decimal(row.amount) for row in rows}

    async def claim(self, claim_id: UUID) -> Any:
        await self.flush()
        return (
            await self.connection.execute(
                select(fact_claims).where(fact_claims.c.version == self.version, fact_claims.c.claim_id == claim_id)
            )
        ).first()


def _line(row: Any) -> tuple[int, Any, AttendanceLine]:
    return row.step, row.held_on, AttendanceLine(row.status, Decimal(row.session_hours), Decimal(row.hours_attended))
