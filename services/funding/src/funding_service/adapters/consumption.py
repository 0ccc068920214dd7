"""Attendance marks (the latest sheet per person and session) and what the ledger holds per (person, session,
line): the domain's ``PersonHours`` loaded and kept.

While a run of sheets is applied in one transaction (``hold_writes``, see ``service_layer.sheet_runs``), the run's
sessions are read first in one statement per table (``read_sessions``: each sheet then takes its own, unless an
earlier sheet of the run wrote rows of that session, in which case it is read again), and what ``keep`` writes
waits in memory, per row's key, the latest write of a key winning as it would in the table: it is written in one
statement per table (``flush``) before any other read of these tables, once 10,000 rows wait, when the run ends
and before the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Row, and_, bindparam, delete, func, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.tables import MONEY, attendance_marks, consumption_posted
from funding_service.domain.consumption import PersonHours, PostedAmounts, SessionMark
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import AttendanceStatus
from hopekit.db.sets import among
from hopekit.db.upsert import upsert


@dataclass(frozen=True)
class Unclaimed:
    """One (person, session, line) row's amount consumed and not yet claimed."""

    beneficiary_id: UUID
    session_id: UUID | None  # None: a sum over the person's rows on the line (see ``take_unclaimed``)
    budget_line_id: UUID
    held_on: date
    amount: Decimal


_POSTED_KEYS = ["beneficiary_id", "session_id", "budget_line_id"]
_POSTED_UPDATED = ["funded_hours", "amount", "held_on"]
_MARKS_KEYS = ["beneficiary_id", "session_id"]
_MARKS_UPDATED = ["course_id", "step", "held_on", "status", "hours_attended", "session_hours"]
# Held rows are written once this many wait (a poll of 500 sheets would hold 100,000): each write still covers
# about 50 sheets of 100 people.
_HELD_AT_MOST = 10_000
MarkKey = tuple[UUID, UUID]  # (person, session)
PostedKey = tuple[UUID, UUID, UUID]  # (person, session, line)


async def keep_posted_rows(connection: AsyncConnection, rows: list[dict[str, object]]) -> None:
    """Insert or update ``consumption_posted`` rows; claimed_amount is not overwritten: what a claim took stays
    taken."""
    await upsert(connection, consumption_posted, rows, keys=_POSTED_KEYS, update=_POSTED_UPDATED)


@dataclass
class _HeldWrites:
    """What ``keep`` wrote while writes are held, per row's key: the row, or None for a row removed. A posted row
    removed and written again is a new row (its claimed amount 0), so the keys removed are remembered and removed
    first; a posted row written twice keeps what the first wrote in the columns an update leaves alone."""

    marks: dict[MarkKey, dict[str, object] | None]
    posted: dict[PostedKey, dict[str, object] | None]
    posted_removed: set[PostedKey]
    # The sessions read ahead (``read_sessions``), per session: its course, and its rows of both tables.
    sessions: dict[UUID, tuple[UUID, list[Row[Any]], list[Row[Any]]]]

    def mark(self, key: MarkKey, row: dict[str, object] | None) -> None:
        self.marks[key] = row
        self.sessions.pop(key[1], None)

    def post(self, key: PostedKey, row: dict[str, object] | None) -> None:
        if row is None:
            self.posted_removed.add(key)
        elif (earlier := self.posted.get(key)) is not None:
            row = {**earlier, **{name: row[name] for name in _POSTED_UPDATED}}
        self.posted[key] = row
        self.sessions.pop(key[1], None)


# A claim's draft takes every unclaimed row of its lines in the period (the rows are locked by the UPDATE; the
# agreement's row lock already queues two claims of one agreement) and reads what it took per person and line.
_TAKE_UNCLAIMED = text(
    "WITH taken AS ("
    " UPDATE consumption_posted AS posted SET claimed_amount = posted.amount"
    " FROM consumption_posted AS before"
    " WHERE before.beneficiary_id = posted.beneficiary_id AND before.session_id = posted.session_id"
    " AND before.budget_line_id = posted.budget_line_id"
    " AND posted.budget_line_id = ANY(CAST(:lines AS uuid[])) AND posted.held_on BETWEEN :start AND :end"
    " AND posted.amount > posted.claimed_amount"
    " RETURNING posted.beneficiary_id, posted.budget_line_id, posted.held_on,"
    " posted.amount - before.claimed_amount AS amount)"
    " SELECT beneficiary_id, budget_line_id, max(held_on) AS held_on, sum(amount) AS amount FROM taken"
    " GROUP BY beneficiary_id, budget_line_id"
).bindparams(bindparam("start", type_=Date()), bindparam("end", type_=Date()))


class ConsumptionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        # The day of each (person, session, line) row loaded: ``keep`` rewrites a row a sheet moved to another day.
        self._held_on: dict[tuple[UUID, UUID, UUID], date] = {}
        self._held: _HeldWrites | None = None

    def hold_writes(self) -> None:
        """From now on, what ``keep`` writes waits for ``flush`` (and ``read_sessions`` reads ahead)."""
        if self._held is None:
            self._held = _HeldWrites({}, {}, set(), {})

    async def release_writes(self) -> None:
        """Write what waits and go back to writing at once."""
        await self.flush()
        self._held = None

    async def flush(self) -> None:
        """Write what ``keep`` left waiting: removals first, then the rows, one statement per table."""
        held = self._held
        if held is None or not (held.marks or held.posted):
            return
        marks, posted, removed = held.marks, held.posted, held.posted_removed
        held.marks, held.posted, held.posted_removed = {}, {}, set()
        unmarked = [key for key, row in marks.items() if row is None]
        if unmarked:
            await self._connection.execute(
                delete(attendance_marks).where(
                    tuple_(attendance_marks.c.beneficiary_id, attendance_marks.c.session_id).in_(unmarked)
                )
            )
        await upsert(
            self._connection,
            attendance_marks,
            [row for row in marks.values() if row is not None],
            keys=_MARKS_KEYS,
            update=_MARKS_UPDATED,
        )
        if removed:
            await self._delete_posted(sorted(removed))
        await keep_posted_rows(self._connection, [row for row in posted.values() if row is not None])

    async def _delete_posted(self, keys: list[PostedKey]) -> None:
        await self._connection.execute(
            delete(consumption_posted).where(
                tuple_(
                    consumption_posted.c.beneficiary_id,
                    consumption_posted.c.session_id,
                    consumption_posted.c.budget_line_id,
                ).in_(keys)
            )
        )

    async def read_sessions(self, courses: dict[UUID, UUID]) -> dict[UUID, set[UUID]]:
        """While writes are held: read ahead the rows of these sessions (``courses``: each session's course), two
        statements for a run of sheets; ``load_session`` takes them. Per session, who has a row on it."""
        if self._held is None or not courses:
            return {}
        await self.flush()
        sessions = list(courses)
        marks = await self._connection.execute(
            select(attendance_marks).where(among(self._connection, attendance_marks.c.session_id, sessions))
        )
        posted = await self._connection.execute(
            select(consumption_posted).where(among(self._connection, consumption_posted.c.session_id, sessions))
        )
        found: dict[UUID, tuple[UUID, list[Row[Any]], list[Row[Any]]]] = {
            session: (course, [], []) for session, course in courses.items()
        }
        for row in marks:
            if courses.get(row.session_id) == row.course_id:
                found[row.session_id][1].append(row)
        for row in posted:
            if courses.get(row.session_id) == row.course_id:
                found[row.session_id][2].append(row)
        self._held.sessions.update(found)
        return {
            session: {row.beneficiary_id for row in (*marked, *kept)} for session, (_, marked, kept) in found.items()
        }

    async def step_consumed(
        self, people: Iterable[UUID], step: int, line_ids: Iterable[UUID]
    ) -> dict[tuple[UUID, UUID], Decimal]:
        """Per (person, line), what the sheets of the step's courses consumed for them (claimed or not): what a
        step commitment made after those sheets no longer has to reserve."""
        ids, lines = sorted(set(people)), sorted(set(line_ids))
        if not ids or not lines:
            return {}
        await self.flush()
        of_step = (
            select(attendance_marks.c.course_id)
            .where(attendance_marks.c.step == step, attendance_marks.c.beneficiary_id.in_(ids))
            .distinct()
        )
        rows = await self._connection.execute(
            select(
                consumption_posted.c.beneficiary_id,
                consumption_posted.c.budget_line_id,
                func.sum(consumption_posted.c.amount).label("amount"),
            )
            .where(
                consumption_posted.c.beneficiary_id.in_(ids),
                consumption_posted.c.budget_line_id.in_(lines),
                consumption_posted.c.course_id.in_(of_step),
            )
            .group_by(consumption_posted.c.beneficiary_id, consumption_posted.c.budget_line_id)
        )
        return {(row.beneficiary_id, row.budget_line_id): Decimal(row.amount) for row in rows}

    async def load_session(
        self, course_id: UUID, session_id: UUID, people: Iterable[UUID], planned_hours: Decimal
    ) -> dict[UUID, PersonHours]:
        """``load`` of one session for everyone with a mark on it and for ``people`` (the sheet's): a corrected
        sheet may leave off someone an earlier version had."""
        return await self._load(course_id, people, planned_hours, session_id, everyone_on_session=True)

    async def load(
        self, course_id: UUID, people: Iterable[UUID], planned_hours: Decimal, session_id: UUID | None = None
    ) -> dict[UUID, PersonHours]:
        """The marks and posted amounts of these people on the course: every session's (``complete``, needed
        when a change moves the excused allowance between sessions), or only ``session_id``'s (most sheets)."""
        return await self._load(course_id, people, planned_hours, session_id)

    async def _load(
        self,
        course_id: UUID,
        people: Iterable[UUID],
        planned_hours: Decimal,
        session_id: UUID | None,
        everyone_on_session: bool = False,
    ) -> dict[UUID, PersonHours]:
        ids = sorted(set(people))
        if not ids and not everyone_on_session:
            return {person: PersonHours(person, planned_hours, complete=session_id is None) for person in ids}
        if everyone_on_session and session_id is not None and self._held is not None:
            read_ahead = self._held.sessions.pop(session_id, None)
            if read_ahead is not None and read_ahead[0] == course_id:
                return self._hours(ids, planned_hours, session_id, read_ahead[1], read_ahead[2])
        await self.flush()
        marks_query = select(attendance_marks).where(attendance_marks.c.course_id == course_id)
        posted_query = select(consumption_posted).where(consumption_posted.c.course_id == course_id)
        if not everyone_on_session:
            marks_query = marks_query.where(attendance_marks.c.beneficiary_id.in_(ids))
            posted_query = posted_query.where(consumption_posted.c.beneficiary_id.in_(ids))
        if session_id is not None:
            marks_query = marks_query.where(attendance_marks.c.session_id == session_id)
            posted_query = posted_query.where(consumption_posted.c.session_id == session_id)
        marks = await self._connection.execute(marks_query)
        posted = await self._connection.execute(posted_query)
        return self._hours(ids, planned_hours, session_id, marks, posted)

    def _hours(
        self,
        ids: list[UUID],
        planned_hours: Decimal,
        session_id: UUID | None,
        marks: Iterable[Row[Any]],
        posted: Iterable[Row[Any]],
    ) -> dict[UUID, PersonHours]:
        loaded = {person: PersonHours(person, planned_hours, complete=session_id is None) for person in ids}
        for row in marks:
            if row.beneficiary_id not in loaded:
                loaded[row.beneficiary_id] = PersonHours(row.beneficiary_id, planned_hours, complete=False)
            loaded[row.beneficiary_id].marks[row.session_id] = SessionMark(
                row.session_id, row.held_on, AttendanceStatus(row.status), row.hours_attended, row.session_hours
            )
        amounts: dict[UUID, PostedAmounts] = {}
        for row in posted:
            if row.beneficiary_id not in loaded:
                loaded[row.beneficiary_id] = PersonHours(row.beneficiary_id, planned_hours, complete=False)
            kept = amounts.setdefault(row.beneficiary_id, PostedAmounts(row.beneficiary_id))
            kept.posted[(row.session_id, row.budget_line_id)] = row.amount
            kept.quantities[(row.session_id, row.budget_line_id)] = row.funded_hours
            self._held_on[(row.beneficiary_id, row.session_id, row.budget_line_id)] = row.held_on
        for person, kept in amounts.items():
            loaded[person].amounts = PostedAmounts(person, kept.posted, kept.quantities)
        return loaded

    async def keep(
        self, course_id: UUID, step: int, session_id: UUID, held_on: date, people: Iterable[PersonHours]
    ) -> None:
        """Write back the people's marks on this session and what is posted for them on the course."""
        people = list(people)
        unmarked = [person.beneficiary_id for person in people if session_id not in person.marks]
        writes = self._held
        if writes is not None:
            for person_id in unmarked:
                writes.mark((person_id, session_id), None)
        elif unmarked:
            # Left off a corrected sheet: their mark on the session goes (most sheets leave no one off).
            await self._connection.execute(
                delete(attendance_marks).where(
                    attendance_marks.c.session_id == session_id, attendance_marks.c.beneficiary_id.in_(unmarked)
                )
            )
        marks: list[dict[str, object]] = [
            {
                "beneficiary_id": person.beneficiary_id,
                "session_id": session_id,
                "course_id": course_id,
                "step": step,
                "held_on": held_on,
                "status": mark.status.value,
                "hours_attended": mark.hours_attended,
                "session_hours": mark.session_hours,
            }
            for person in people
            if (mark := person.marks.get(session_id)) is not None
        ]
        if writes is not None:
            marked = [person.beneficiary_id for person in people if session_id in person.marks]
            for person_id, mark_row in zip(marked, marks, strict=True):
                writes.mark((person_id, session_id), mark_row)
        else:
            await upsert(self._connection, attendance_marks, marks, keys=_MARKS_KEYS, update=_MARKS_UPDATED)
        held = {mark.session_id: mark.held_on for person in people for mark in person.marks.values()}
        # Only the rows the sheet changed (or moved to another day) are written, and only those it brought to
        # nothing are removed: a sheet's first version removes nothing, a duplicate writes nothing.
        rows: list[dict[str, object]] = []
        written: list[PostedKey] = []
        for person in people:
            changed = set(person.amounts.changed())
            for (session, line), amount in person.amounts.posted.items():
                day = held.get(session, held_on)
                if (session, line) in changed or self._held_on.get((person.beneficiary_id, session, line), day) != day:
                    written.append((person.beneficiary_id, session, line))
                    rows.append(
                        {
                            "beneficiary_id": person.beneficiary_id,
                            "session_id": session,
                            "budget_line_id": line,
                            "course_id": course_id,
                            "held_on": day,
                            "funded_hours": person.amounts.quantities.get((session, line), ZERO),
                            "amount": amount,
                            "claimed_amount": ZERO,
                        }
                    )
        stale: list[PostedKey] = [
            (person.beneficiary_id, *key) for person in people for key in person.amounts.removed()
        ]
        if writes is not None:
            for key in stale:
                writes.post(key, None)
            for key, posted_row in zip(written, rows, strict=True):
                writes.post(key, posted_row)
            if len(writes.marks) + len(writes.posted) >= _HELD_AT_MOST:
                await self.flush()
            return
        if stale:
            await self._delete_posted(stale)
        await keep_posted_rows(self._connection, rows)

    async def take_unclaimed(self, line_ids: Iterable[UUID], start: date, end: date) -> list[Unclaimed]:
        """What was consumed on the lines in the period and not yet claimed, marked claimed (a claim's draft takes
        it, so a second claim cannot take it too). On PostgreSQL one statement that marks the rows and answers
        their sums per person and line (``session_id`` None, ``held_on`` the group's last day): a claim of 500
        people over two years takes 100,000 rows and reads 1,000 sums. Elsewhere the rows are read, then
        marked in one statement of a parameter set per row."""
        lines = list(line_ids)
        await self.flush()
        if self._connection.dialect.name == "postgresql":
            rows = await self._connection.execute(_TAKE_UNCLAIMED, {"lines": lines, "start": start, "end": end})
            return [Unclaimed(r.beneficiary_id, None, r.budget_line_id, r.held_on, r.amount) for r in rows]
        unclaimed = await self._connection.execute(
            select(consumption_posted).where(
                and_(
                    consumption_posted.c.budget_line_id.in_(lines),
                    consumption_posted.c.held_on >= start,
                    consumption_posted.c.held_on <= end,
                    consumption_posted.c.amount > consumption_posted.c.claimed_amount,
                )
            )
        )
        taken = [
            Unclaimed(r.beneficiary_id, r.session_id, r.budget_line_id, r.held_on, r.amount - r.claimed_amount)
            for r in unclaimed
        ]
        if taken:
            await self._connection.execute(
                update(consumption_posted)
                .where(
                    consumption_posted.c.beneficiary_id == bindparam("person"),
                    consumption_posted.c.session_id == bindparam("session"),
                    consumption_posted.c.budget_line_id == bindparam("line"),
                )
                .values(claimed_amount=consumption_posted.c.claimed_amount + bindparam("taken", type_=MONEY)),
                [
                    {"person": r.beneficiary_id, "session": r.session_id, "line": r.budget_line_id, "taken": r.amount}
                    for r in taken
                ],
            )
        return taken

    async def marks_of(self, beneficiary_id: UUID) -> dict[tuple[UUID, int], list[SessionMark]]:
        """The person's marks per (course, step), in one read (a certificate needs the hours, not the amounts)."""
        await self.flush()
        rows = await self._connection.execute(
            select(attendance_marks).where(attendance_marks.c.beneficiary_id == beneficiary_id)
        )
        marks: dict[tuple[UUID, int], list[SessionMark]] = {}
        for row in rows:
            marks.setdefault((row.course_id, row.step), []).append(
                SessionMark(
                    row.session_id, row.held_on, AttendanceStatus(row.status), row.hours_attended, row.session_hours
                )
            )
        return dict(sorted(marks.items(), key=lambda item: (item[0][1], item[0][0])))
