"""Two consumer groups' polls on the same people, at once on PostgreSQL, never deadlock (issue 17).

Each group writes ``fact_people`` with statements of its own: enrolment registers people X (a set-fields
statement) and gives people Y a sector (set-if-newer on ``sector_at``); training awards people X a qualification
and attests people Y's level (two set-if-newer statements, plus ``fact_person_steps``' levels). Each statement
sorted by key, the two groups still met X and Y in opposite orders: one transaction held X's rows and waited for
Y's, the other the reverse. Both now write those tables last, under the people's writer lock
(``adapters.facts.take_writer_lock``). The polls go through the kit's ``process_batch``, which does not apply a
deadlock's victim again: a deadlock fails the test."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hope_contracts import enrolment, training
from hope_infra.testing import received
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process_batch
from hopekit.uow import Database
from reporting_service.adapters.tables import fact_people
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS

pytestmark = pytest.mark.integration

PEOPLE = 200
ROUNDS = 12
START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _enrolment(x: list[uuid.UUID], y: list[uuid.UUID], at: datetime) -> list[ReceivedEvent]:
    office = uuid.UUID(int=1)
    registered = [
        enrolment.BeneficiaryRegistered(
            beneficiary_id=person,
            track="group",
            protection_status="refugee",
            registered_by_org_id=office,
            occurred_at=at,
        )
        for person in x
    ]
    sectors = [enrolment.SectorChosen(beneficiary_id=person, sector_code="logistics", occurred_at=at) for person in y]
    return [received(event) for event in [*registered, *sectors]]


def _training(x: list[uuid.UUID], y: list[uuid.UUID], at: datetime) -> list[ReceivedEvent]:
    awarded = [
        training.QualificationAwarded(
            qualification_id=uuid.uuid4(),
            beneficiary_id=person,
            rncp_code="RNCP12345",
            result="awarded",
            awarded_on=at.date(),
            occurred_at=at,
        )
        for person in x
    ]
    levels = [
        training.LanguageLevelAttested(
            assessment_id=uuid.uuid4(),
            beneficiary_id=person,
            skill="overall",
            level="A2",
            test="TCF",
            assessed_on=date(2026, 1, 5) + timedelta(days=(at - START).days),
            assessing_org_id=uuid.UUID(int=2),
            occurred_at=at,
        )
        for person in y
    ]
    return [received(event) for event in [*levels, *awarded]]


async def _poll(database: Database, group: str, events: list[ReceivedEvent]) -> int:
    spec = next(spec for spec in CONSUMERS if spec.name == group)
    assert spec.batch is not None
    return await process_batch(f"reporting.{group}", ReportingUnitOfWork(database), events, spec.batch)


async def test_two_groups_polls_on_the_same_people_at_once_never_deadlock(postgres: Database) -> None:
    x = [uuid.uuid4() for _ in range(PEOPLE)]
    y = [uuid.uuid4() for _ in range(PEOPLE)]
    for round_ in range(ROUNDS):
        at = START + timedelta(days=round_)
        # Round 0 inserts the rows (two inserts of one new key wait on each other too), the others update them.
        applied = await asyncio.gather(
            _poll(postgres, "enrolment-facts", _enrolment(x, y, at)),
            _poll(postgres, "training-facts", _training(x, y, at)),
        )
        assert applied == [2 * PEOPLE, 2 * PEOPLE]
    async with postgres.engine.connect() as connection:
        people = fact_people.c
        both = await connection.scalar(
            select(func.count()).where(people.registered_at.is_not(None), people.qualification_at.is_not(None))
        )
        assert both == PEOPLE
        levelled = await connection.scalar(
            select(func.count()).where(people.sector_code == "logistics", people.language_level == "A2")
        )
        assert levelled == PEOPLE
