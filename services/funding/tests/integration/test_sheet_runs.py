"""A poll's sheets applied together (``service_layer.sheet_runs``) leave exactly what the same events applied one
record at a time leave: the same transactions and postings in the same order, the same accounts and balances, the
same marks and consumption rows, the same events published and the same audit rows. Two databases are built alike
(one after the other) and fed one backlog, one record at a time in one, in polls in the other (as the ledger's
consumer applies a backlog), and compared whole.

The backlog goes through every path of a sheet: first sheets drawing on commitments, people without a commitment
drawing on the line, an individual path's own plan, a cohort without a plan, a shortage (``LimitExceeded``, then
person by person) on a small line, a session corrected in the same poll (someone left off, excused hours that move
the allowance of later sessions, money given back), a duplicate, a sheet moved to another day, a sheet without its
cohort, a step not funded, and non-sheet events (a step's start, a withdrawal) cutting the runs."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from funding_service.adapters import consumption as consumption_adapter
from funding_service.adapters import ledger as ledger_adapter
from funding_service.adapters.tables import (
    accounts,
    attendance_marks,
    commitments,
    consumption_posted,
    kit,
    ledger_transactions,
    postings,
)
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.events.incoming import CONSUMERS
from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_contracts import enrolment, training
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process_batch
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database

from .conftest import CONSUMER, SERVICE_ROOT, deliver, received
from .support import Programme

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "10000.00", "amount": "150000.00"}
# 20 hours: the third person present 7 h on a sheet finds 15.00 of the 105.00 their hours cost.
SMALL_LINE = {"rate": "15.00", "quantity": "20.00", "amount": "300.00"}


@dataclass
class Scenario:
    """The people, cohorts, sessions and events of the test, the same in both databases."""

    cohort_a: uuid.UUID = field(default_factory=uuid.uuid4)
    cohort_b: uuid.UUID = field(default_factory=uuid.uuid4)
    cohort_c: uuid.UUID = field(default_factory=uuid.uuid4)
    a: list[uuid.UUID] = field(default_factory=lambda: [uuid.uuid4() for _ in range(4)])
    own: uuid.UUID = field(default_factory=uuid.uuid4)  # in cohort A, paid by a plan of their own (12.00 an hour)
    uncommitted: uuid.UUID = field(default_factory=uuid.uuid4)  # in cohort A, their step's start not yet received
    b: list[uuid.UUID] = field(default_factory=lambda: [uuid.uuid4() for _ in range(3)])
    c: list[uuid.UUID] = field(default_factory=lambda: [uuid.uuid4() for _ in range(2)])
    course_a: uuid.UUID = field(default_factory=uuid.uuid4)
    course_b: uuid.UUID = field(default_factory=uuid.uuid4)
    course_c: uuid.UUID = field(default_factory=uuid.uuid4)
    setup: list[ReceivedEvent] = field(default_factory=list)
    backlog: list[ReceivedEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        for cohort, members in (
            (self.cohort_a, [*self.a, self.own, self.uncommitted]),
            (self.cohort_b, self.b),
            (self.cohort_c, self.c),
        ):
            self.setup.append(received(_cohort_created(cohort)))
            for person in members:
                added = enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=_now())
                self.setup.append(received(added))
        # Cohort A's course plans 10 h: its commitments (150.00 each) are soon drawn, and later hours come from the
        # lines, so what is given back splits between the commitment and the line.
        scheduled = training.CourseScheduled(
            course_id=self.course_a,
            step=3,
            cohort_id=self.cohort_a,
            provider_org_id=uuid.UUID(int=self.cohort_a.int ^ 1),
            planned_hours=Decimal("10.00"),
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 6, 30),
            occurred_at=_now(),
        )
        self.setup.append(received(scheduled, source="/hope/training"))
        self.backlog = [received(event, source=_source(event)) for event in self._backlog()]

    def _backlog(self) -> list[training.AttendanceRecorded | enrolment.StepStarted | enrolment.BeneficiaryWithdrawn]:
        a1, a2, a3, a4 = self.a
        b1, b2, b3 = self.b
        s = [uuid.uuid4() for _ in range(10)]
        a5 = self.uncommitted
        sheet_a = self._sheet_a
        first = {a1: ("present", "7.00"), a2: ("excused", "3.00"), a3: ("unexcused", "2.00"), a4: ("present", "7.00")}
        corrected = {a1: ("present", "7.00"), a2: ("present", "7.00"), a4: ("excused", "0.00")}
        return [
            sheet_a(s[0], 0, {**first, self.own: ("present", "7.00"), a5: ("present", "7.00")}),
            _sheet(s[1], self.course_b, self.cohort_b, 0, dict.fromkeys(self.b, ("present", "7.00"))),
            _sheet(s[2], self.course_c, self.cohort_c, 0, dict.fromkeys(self.c, ("present", "7.00"))),
            # a2's 7 excused hours here find the allowance (4 h) spent by the first session.
            sheet_a(s[3], 1, {a1: ("excused", "1.00"), a2: ("excused", "0.00"), a4: ("present", "7.00")}),
            sheet_a(s[9], 3, {a1: ("present", "7.00"), a5: ("present", "7.00")}),
            # a1 and a5 (without a commitment) give back: to a1's commitment only what their step's consumption, the
            # sheet just before in the same poll (polls of 4) counted, leaves it short of; the rest to the lines.
            sheet_a(s[0], 0, {**first, a1: ("unexcused", "0.00"), self.own: ("present", "7.00"),
                              a5: ("present", "2.00")}),
            # The first session corrected again: a3 left off (gives back), a2's excused hours gone (the allowance goes
            # to the second session, whose rows change), a4's appear.
            sheet_a(s[0], 0, {**corrected, a5: ("present", "2.00")}),
            # The second session moved to another day, in the poll that changed its rows (polls of 4).
            sheet_a(s[3], 4, {a1: ("excused", "1.00"), a2: ("excused", "0.00"), a4: ("present", "7.00")}),
            sheet_a(s[0], 0, {**corrected, a5: ("present", "2.00")}),  # the same again: nothing to post
            sheet_a(s[4], 2, {a1: ("present", "7.00"), a3: ("present", "7.00"), self.own: ("excused", "0.00")}),
            enrolment.StepStarted(
                beneficiary_id=b1, step=3, track="group", cohort_id=self.cohort_b, occurred_at=_now()
            ),
            # Cohort B's sheet corrected: b1 gives back (to their new commitment as far as it drew on it, else to the
            # line), which lets b3's hours fit.
            _sheet(s[1], self.course_b, self.cohort_b, 0, {b1: ("present", "3.00"), b2: ("present", "7.00"),
                                                            b3: ("present", "7.00")}),
            _sheet(s[5], self.course_b, self.cohort_b, 1, {b2: ("present", "7.00"), b3: ("present", "7.00")}),
            # b3, without a commitment, gives back what this run drew for them from the line: it goes to the line.
            _sheet(s[1], self.course_b, self.cohort_b, 0, {b1: ("present", "3.00"), b2: ("present", "7.00"),
                                                            b3: ("present", "2.00")}),
            enrolment.BeneficiaryWithdrawn(
                beneficiary_id=a4, reason="moved_away", from_status="french_qualification", last_step=3,
                occurred_at=_now(),
            ),
            sheet_a(s[6], 5, {a1: ("present", "7.00"), a4: ("present", "7.00")}),
            _sheet(s[7], self.course_a, None, 6, {a1: ("present", "7.00"), a2: ("unexcused", "4.00")}),
            _sheet(s[8], self.course_a, self.cohort_a, 7, {a1: ("present", "7.00")}, step=1),
            _sheet(s[2], self.course_c, self.cohort_c, 0, {self.c[0]: ("excused", "2.00")}),
        ]  # fmt: skip

    def _sheet_a(
        self, session: uuid.UUID, day: int, marks: dict[uuid.UUID, tuple[str, str]]
    ) -> training.AttendanceRecorded:
        return _sheet(session, self.course_a, self.cohort_a, day, marks)

    @property
    def shared(self) -> set[str]:
        """Ids that are the same in both databases (everything else is relabelled before comparing)."""
        ids: list[Any] = [self.cohort_a, self.cohort_b, self.cohort_c, self.own, self.uncommitted, self.course_a]
        ids += [self.course_b, self.course_c, *self.a, *self.b, *self.c]
        for event in self.backlog:
            ids.append(event.id)
            ids += [value for key, value in event.data.items() if key.endswith("_id")]
        return {str(value) for value in ids}


def _now() -> datetime:
    return datetime.now(UTC)


def _source(event: object) -> str:
    return "/hope/training" if isinstance(event, training.AttendanceRecorded) else "/hope/enrolment"


def _cohort_created(cohort: uuid.UUID) -> enrolment.CohortCreated:
    return enrolment.CohortCreated(
        cohort_id=cohort,
        sector_code="logistics",
        region="11",
        track="group",
        training_provider_org_id=uuid.UUID(int=cohort.int ^ 1),
        support_provider_org_id=uuid.UUID(int=cohort.int ^ 2),
        capacity=20,
        occurred_at=_now(),
    )


def _sheet(
    session: uuid.UUID,
    course: uuid.UUID,
    cohort: uuid.UUID | None,
    day: int,
    marks: dict[uuid.UUID, tuple[str, str]],
    step: int = 3,
) -> training.AttendanceRecorded:
    return training.AttendanceRecorded(
        session_id=session,
        course_id=course,
        step=step,
        cohort_id=cohort,
        held_on=date(2026, 3, 2) + timedelta(days=day),
        session_hours=Decimal("7.00"),
        session_kind="core",
        entries=tuple(
            training.AttendanceEntry(beneficiary_id=person, status=status, hours_attended=Decimal(hours))
            for person, (status, hours) in marks.items()
        ),
        occurred_at=_now(),
    )


@asynccontextmanager
async def programme_in(url: str, issuer: TokenIssuer, scenario: Scenario) -> AsyncIterator[tuple[Database, list[str]]]:
    """The scenario's agreements, plans and commitments in a database; its ids made there, in order of making."""
    async with running(create_app(service_settings(FundingSettings, url, issuer))) as client:
        engine = make_engine(url)
        try:
            database = Database(engine=engine, tables=kit)
            for event in scenario.setup:
                assert await deliver(database, event)
            state = Programme(client, issuer, database, cohort_id=scenario.cohort_a)
            await state.agreement([{**LINE, "excused_share": "0.01"}, LINE], code="STATE")  # 4 h of 400
            made = [state.funder_id, state.agreement_id, *state.line_ids]
            made.append((await state.plan("15.00", ["0.7", "0.3"]))["id"])
            made.append((await state.plan("12.00", ["0.5", "0.5"], beneficiary_id=scenario.own))["id"])
            region = Programme(client, issuer, database, cohort_id=scenario.cohort_b)
            await region.agreement([SMALL_LINE], code="REGION")
            made += [region.funder_id, region.agreement_id, *region.line_ids]
            made.append((await region.plan("15.00", ["1"]))["id"])
            for person in [*scenario.a, scenario.own]:
                assert await state.step_started(person)
            yield database, made
        finally:
            await engine.dispose()


class Labels:
    """Ids of one database replaced by labels: those it made, in order of making, then the others in order of first
    sight; the ids both databases share stay."""

    def __init__(self, shared: set[str], made: list[str]) -> None:
        self._shared = shared
        self._labels = {str(made_id): f"made-{index}" for index, made_id in enumerate(made)}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: self(item) for key, item in value.items() if key not in {"occurred_at", "at"}}
        if isinstance(value, list | tuple):
            items = [self(item) for item in value]
            # An event's parts and entries follow the lines' ids, which each database made its own.
            return sorted(items, key=str) if items and all(isinstance(item, dict) for item in items) else items
        if isinstance(value, uuid.UUID):
            value = str(value)
        if isinstance(value, str) and _is_uuid(value) and value not in self._shared:
            return self._labels.setdefault(value, f"seen-{len(self._labels)}")
        return value


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


async def everything(database: Database, labels: Labels, backlog_events: set[str]) -> dict[str, Any]:
    """The whole ledger, the consumption and marks, the outbox and the backlog's audit rows, with ids labelled."""
    async with database.engine.connect() as connection:

        async def rows(query: Any) -> list[dict[str, Any]]:
            return [dict(row._mapping) for row in await connection.execute(query)]

        ledger: list[Any] = []
        transactions = {row["id"]: row for row in await rows(select(ledger_transactions))}
        for posting in await rows(select(postings).order_by(postings.c.id)):
            kept = transactions[posting["transaction_id"]]
            entry = (kept["kind"], kept["reference_id"], kept["reverses"], posting["transaction_id"])
            if not ledger or ledger[-1][0] != entry:
                ledger.append((entry, []))
            account = (posting["account_id"], posting["side"], posting["amount"])
            ledger[-1][1].append(account)
        named = {
            row["id"]: (row["budget_line_id"], row["stage"], row["beneficiary_id"], row["balance"])
            for row in await rows(select(accounts))
        }
        outbox = await rows(select(kit.outbox).order_by(kit.outbox.c.position))
        audit = [
            (row["action"], row["object_type"], row["object_id"], row["request_id"], row["actor"])
            for row in await rows(select(kit.audit))
            if row["request_id"] in backlog_events
        ]
        found = {
            "ledger": [(entry, [(named[a][:3], side, amount) for a, side, amount in moved]) for entry, moved in ledger],
            "outbox": [(row["type"], row["key"], row["sequence"], json.loads(row["payload"])) for row in outbox],
            "accounts": sorted(named.values(), key=str),
            "commitments": await rows(select(commitments).order_by(commitments.c.beneficiary_id)),
            "posted": await rows(select(consumption_posted)),
            "marks": await rows(select(attendance_marks)),
            "audit": audit,
            "transactions": len(transactions),
        }
    labelled = labels(found)
    # Within a transaction postings follow the lines' ids, which each database made its own: compared as a set.
    labelled["ledger"] = [(entry, sorted(moved, key=str)) for entry, moved in labelled["ledger"]]
    for name in ("accounts", "commitments", "posted", "marks", "audit"):
        labelled[name] = sorted(labelled[name], key=str)
    return labelled


async def afresh(url: str, tmp_path: Path) -> str:
    """The second database: another SQLite file, or the test's PostgreSQL database emptied (its schema made again),
    both migrated."""
    if url.startswith("sqlite"):
        url = f"sqlite+aiosqlite:///{tmp_path / 'in-polls.db'}"
    else:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()
    await asyncio.to_thread(upgrade, SERVICE_ROOT, url)
    return url


@pytest.mark.parametrize(("poll", "held_at_most"), [(4, None), (100, None), (100, 5)])
async def test_sheets_applied_together_leave_exactly_what_one_record_at_a_time_leaves(
    database_url: str,
    issuer: TokenIssuer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    poll: int,
    held_at_most: int | None,
) -> None:
    if held_at_most is not None:
        # Held writes written whenever a few wait, in the middle of a run and of a sheet's writes.
        monkeypatch.setattr(ledger_adapter, "_HELD_AT_MOST", held_at_most)
        monkeypatch.setattr(consumption_adapter, "_HELD_AT_MOST", held_at_most)
    scenario = Scenario()
    backlog_events = {event.id for event in scenario.backlog}
    [ledger] = [spec for spec in CONSUMERS if spec.name == "ledger"]
    assert ledger.batch is not None

    async with programme_in(database_url, issuer, scenario) as (database, made):
        for event in scenario.backlog:
            assert await deliver(database, event)
        one_by_one = await everything(database, Labels(scenario.shared, made), backlog_events)

    async with programme_in(await afresh(database_url, tmp_path), issuer, scenario) as (database, made):
        for start in range(0, len(scenario.backlog), poll):
            batch = scenario.backlog[start : start + poll]
            assert await process_batch(CONSUMER, FundingUnitOfWork(database), batch, ledger.batch) == len(batch)
        in_polls = await everything(database, Labels(scenario.shared, made), backlog_events)

    # The backlog moved money on every path it was built for.
    kinds = [entry[0] for entry, _ in one_by_one["ledger"]]
    assert kinds.count("consumption") >= 8
    assert "release" in kinds
    assert len([event for event in one_by_one["outbox"] if event[0].endswith("consumption.recorded.v1")]) >= 8
    for name, value in one_by_one.items():
        assert in_polls[name] == value, name
