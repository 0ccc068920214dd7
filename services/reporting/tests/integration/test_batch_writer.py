"""The set-based writer: a batch applied in one transaction makes the facts that the same events make one by one,
with a duplicate and out-of-order pairs inside the batch, on SQLite and PostgreSQL; and the live consumer's
batch (the kit's ``process_batch``) records each event once and skips a stale one."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hope_contracts import EventContract, enrolment, training
from hope_infra.testing import received
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process_batch
from hopekit.uow import Database
from reporting_service.adapters import versions
from reporting_service.adapters.tables import (
    fact_attendance_months,
    fact_attendance_person_months,
    fact_people,
    fact_person_steps,
    fact_sessions,
    kit,
)
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS
from reporting_service.events.replay import handlers_of
from reporting_service.service_layer.ingest import apply_events

from .conftest import deliver
from .scenario import Cohort, at
from .support import facts_of

pytestmark = pytest.mark.integration


def _sheets(events: list[EventContract]) -> list[training.AttendanceRecorded]:
    return [event for event in events if isinstance(event, training.AttendanceRecorded)]


async def _batch(database: Database, version: int, events: list[ReceivedEvent]) -> tuple[int, int]:
    async with ReportingUnitOfWork(database, pinned=version) as uow:
        done = await apply_events(uow, handlers_of(CONSUMERS), events)
        await uow.commit()
    return done


async def test_one_batch_with_a_duplicate_and_out_of_order_pairs_makes_the_facts_of_one_by_one(
    database: Database,
) -> None:
    events = Cohort().events()
    for event in events:
        await deliver(database, received(event))
    async with database.engine.begin() as connection:
        other = await versions.start_building(connection)
    first, corrected = _sheets(events)[:2]  # the same session's sheet, then its correction
    completed = next(e for e in events if isinstance(e, enrolment.PathwayCompleted))
    rest = [event for event in events if event not in (first, corrected, completed)]
    random.Random(7).shuffle(rest)
    # Inside one batch: the correction before the sheet it replaces, the same sheet twice (another event id),
    # a status after the one that follows it, and every other event in a shuffled order.
    batch = [corrected, *rest[:10], first, first, completed, *rest[10:]]
    withdrawn_late = next(e for e in events if isinstance(e, enrolment.BeneficiaryWithdrawn))
    batch.insert(5, withdrawn_late)
    applied, refused = await _batch(database, other, [received(event) for event in batch])
    assert (applied, refused) == (len(batch), 0)
    assert await facts_of(database, other, rebuilt=True) == await facts_of(database, 1)


async def test_batches_of_any_size_and_the_same_batch_again_give_the_same_facts(database: Database) -> None:
    events = Cohort().events()
    for event in events:
        await deliver(database, received(event))
    async with database.engine.begin() as connection:
        small = await versions.start_building(connection)
    shuffled = random.Random(3).sample(events, k=len(events))
    for start in range(0, len(shuffled), 7):
        await _batch(database, small, [received(event) for event in shuffled[start : start + 7]])
    assert await facts_of(database, small, rebuilt=True) == await facts_of(database, 1)
    whole = [received(event) for event in events]
    await _batch(database, small, whole)
    await _batch(database, small, whole)  # everything again: the writes are idempotent
    assert await facts_of(database, small, rebuilt=True) == await facts_of(database, 1)


async def test_the_live_batch_records_each_event_once_and_skips_a_stale_one(database: Database) -> None:
    cohort = Cohort()
    spec = next(spec for spec in CONSUMERS if spec.name == "enrolment-facts")
    assert spec.batch is not None
    consumer = f"reporting.{spec.name}"
    registered = received(
        enrolment.BeneficiaryRegistered(
            beneficiary_id=cohort.finisher,
            track="group",
            protection_status="refugee",
            registered_by_org_id=cohort.office,
            occurred_at=at(1),
        )
    )
    started = received(enrolment.StepStarted(beneficiary_id=cohort.finisher, step=1, track="group", occurred_at=at(2)))
    registered, started = replace(registered, sequence=1), replace(started, sequence=2)
    uow = ReportingUnitOfWork(Database(engine=database.engine, tables=kit))
    # The same event twice in the poll, and the stale one (sequence 1) after the later one of its key.
    applied = await process_batch(consumer, uow, [started, started, replace(registered, id="stale")], spec.batch)
    assert applied == 1
    again = await process_batch(
        consumer, ReportingUnitOfWork(database), [started, replace(registered, id="stale")], spec.batch
    )
    assert again == 0  # both already in the inbox
    async with database.engine.connect() as connection:
        person = (await connection.execute(select(fact_people).where(fact_people.c.version == 1))).one()
        steps = await connection.scalar(select(func.count()).select_from(fact_person_steps))
        inbox = await connection.scalar(select(func.count()).select_from(kit.inbox))
    assert (person.status, person.registered_at, steps) == ("prerequisites", None, 1)
    assert inbox == 2  # the started event and the stale one: recorded, not applied


async def test_a_batch_with_an_invalid_payload_writes_nothing(database: Database) -> None:
    cohort = Cohort()
    sheet = _sheets(cohort.events())[0]
    broken = received(sheet)
    broken = replace(broken, data={**broken.data, "session_hours": "seven"})
    with pytest.raises(ValueError, match="session_hours"):
        await _batch(database, 1, [received(sheet), broken])
    async with database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(fact_sessions)) == 0


async def test_a_sheet_corrected_onto_another_step_and_month_moves_the_totals_there(database: Database) -> None:
    """A sheet's first arrival and a correction on its own step and month move a person's three totals alike; a
    correction onto another step and month (its course or day changed) gives the hours back where they were."""
    person, other = uuid.uuid4(), uuid.uuid4()
    session, course = uuid.uuid4(), uuid.uuid4()

    def sheet(step: int, held_on: date, hours: str, day: float) -> ReceivedEvent:
        entries = [
            training.AttendanceEntry(beneficiary_id=person, status="present", hours_attended=Decimal(hours)),
            training.AttendanceEntry(beneficiary_id=other, status="unexcused", hours_attended=Decimal(0)),
        ]
        return received(
            training.AttendanceRecorded(
                session_id=session,
                course_id=course,
                step=step,
                held_on=held_on,
                session_hours=Decimal("3.50"),
                session_kind="core",
                entries=tuple(entries),
                occurred_at=at(day),
            )
        )

    async def totals(table: Any) -> set[tuple[Any, ...]]:
        hours = [table.c.hours_recorded, table.c.hours_attended, table.c.hours_unexcused, table.c.sessions_recorded]
        keys = [column for column in table.primary_key.columns if column.name not in ("version", "beneficiary_id")]
        async with database.engine.connect() as connection:
            rows = await connection.execute(select(*keys, *hours).where(table.c.beneficiary_id == person))
        return {tuple(row) for row in rows}

    march, april = date(2026, 3, 31), date(2026, 4, 1)
    await _batch(database, 1, [sheet(3, march, "3.50", 1)])
    await _batch(database, 1, [sheet(3, march, "2.00", 2)])  # the same step and month: the hours corrected
    assert await totals(fact_person_steps) == {(3, Decimal("3.50"), Decimal("2.00"), Decimal(0), 1)}
    assert await totals(fact_attendance_person_months) == {
        (march.replace(day=1), Decimal("3.50"), Decimal("2.00"), Decimal(0), 1)
    }
    await _batch(database, 1, [sheet(4, april, "3.00", 3)])  # step 4, in April
    zero = (Decimal(0), Decimal(0), Decimal(0), 0)
    moved = (Decimal("3.50"), Decimal("3.00"), Decimal(0), 1)
    assert await totals(fact_person_steps) == {(3, *zero), (4, *moved)}
    assert await totals(fact_attendance_months) == {(3, march.replace(day=1), *zero), (4, april, *moved)}
    assert await totals(fact_attendance_person_months) == {(march.replace(day=1), *zero), (april, *moved)}
