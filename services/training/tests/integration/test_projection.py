"""Enrolment's events reach the projection: duplicates, out-of-order arrival, withdrawal and erasure."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from hope_contracts import enrolment
from hopekit.testing import kafka_record
from hopekit.uow import Database
from training_service.adapters import tables
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.vocabulary import Step
from training_service.main import create_app

from .conftest import deliver, received, settings_for

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def cohort_created(cohort: uuid.UUID, provider: uuid.UUID) -> enrolment.CohortCreated:
    return enrolment.CohortCreated(
        cohort_id=cohort,
        sector_code="logistics",
        region="11",
        track="group",
        training_provider_org_id=provider,
        support_provider_org_id=uuid.uuid4(),
        capacity=12,
        occurred_at=NOW,
    )


async def test_out_of_order_and_duplicate_events_give_the_same_projection(database: Database) -> None:
    cohort, person, provider = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    step4 = received(
        enrolment.StepStarted(
            beneficiary_id=person, step=4, track="group", cohort_id=cohort, occurred_at=NOW + timedelta(days=90)
        )
    )
    member = received(enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=NOW))
    step3 = received(
        enrolment.StepStarted(beneficiary_id=person, step=3, track="group", cohort_id=cohort, occurred_at=NOW)
    )
    created = received(cohort_created(cohort, provider))

    for event in (step4, member, step3, created):  # the cohort arrives last
        assert await deliver(database, event) is True
    for event in (member, step3, created):  # redelivered
        assert await deliver(database, event) is False

    async with TrainingUnitOfWork(database) as uow:
        view = await uow.projection.participant(person)
        found = await uow.cohorts.get(cohort)
        members = await uow.projection.members(cohort)
    assert view is not None
    assert view.steps == frozenset({3, 4})
    assert view.cohort_ids == frozenset({cohort})
    assert not view.withdrawn
    assert found is not None
    assert found.training_provider_org_id == provider
    assert members == [person]

    # the same event under a new id (a producer resend) changes nothing either
    again = received(enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=NOW))
    assert await deliver(database, again) is True
    async with TrainingUnitOfWork(database) as uow:
        assert await uow.projection.members(cohort) == [person]


async def test_withdrawal_closes_open_courses_and_erasure_removes_everything(database: Database) -> None:
    person, provider = uuid.uuid4(), uuid.uuid4()
    await deliver(
        database, received(enrolment.StepStarted(beneficiary_id=person, step=1, track="individual", occurred_at=NOW))
    )
    from training_service.domain.course import Course

    course = Course.plan(
        course_id=uuid.uuid4(),
        step=Step.PREREQUISITES,
        cohort_id=None,
        beneficiary_id=person,
        provider_org_id=provider,
        planned_hours=Decimal(300),
        support_french_hours=None,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 9, 1),
    )
    async with TrainingUnitOfWork(database) as uow:
        await uow.courses.add(course, provider, NOW)
        await uow.records.add_assessment(
            {
                "id": uuid.uuid4(),
                "beneficiary_id": person,
                "course_id": course.id,
                "skill": "overall",
                "level": "A1",
                "test": "DILF",
                "assessed_on": date(2026, 6, 1),
                "assessing_org_id": provider,
                "evidence_reference": None,
                "recorded_at": NOW,
                "recorded_by_org_id": provider,
            }
        )
        await uow.commit()

    await deliver(
        database,
        received(
            enrolment.BeneficiaryWithdrawn(
                beneficiary_id=person, reason="moved_away", from_status="prerequisites", occurred_at=NOW
            )
        ),
    )
    async with TrainingUnitOfWork(database) as uow:
        stored = await uow.courses.get(course.id)
        closed = await uow.courses.closed_participations(course.id)
    assert stored is not None
    assert stored.status.value == "closed"
    assert closed == {person: "withdrawn"}

    await deliver(database, received(enrolment.BeneficiaryErased(beneficiary_id=person, occurred_at=NOW)))
    # a late event about the erased person recreates nothing
    await deliver(
        database, received(enrolment.StepStarted(beneficiary_id=person, step=3, track="group", occurred_at=NOW))
    )
    async with database.engine.connect() as connection:
        for table in (
            tables.courses,
            tables.language_assessments,
            tables.participants,
            tables.participant_steps,
            tables.participations,
        ):
            column = table.c.beneficiary_id
            count = await connection.scalar(select(func.count()).select_from(table).where(column == person))
            assert count == 0, table.name


async def test_enrolment_events_from_kafka_reach_the_projection_once(
    postgres_url: str, kafka_bootstrap: str, issuer: object
) -> None:
    from hopekit.testing import running

    cohort, provider = uuid.uuid4(), uuid.uuid4()
    contract = cohort_created(cohort, provider)
    event_id = uuid.uuid4()
    key, value, headers = kafka_record(contract, event_id=event_id, time=NOW)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for _ in range(2):  # delivered twice
            await producer.send_and_wait("hope.enrolment.events", value=value, key=key, headers=headers)
    finally:
        await producer.stop()

    app = create_app(settings_for(postgres_url, issuer, kafka_bootstrap))  # type: ignore[arg-type]
    async with running(app), TrainingUnitOfWork(app.state.database) as uow:
        for _ in range(200):
            if await uow.cohorts.get(cohort) is not None:
                break
            await asyncio.sleep(0.1)
            await uow.connection.rollback()
            await uow.connection.begin()
        assert await uow.cohorts.get(cohort) is not None
        inbox = uow.tables.inbox
        count = await uow.connection.scalar(
            select(func.count()).select_from(inbox).where(inbox.c.event_id == str(event_id))
        )
    assert count == 1


async def test_erasure_and_withdrawal_on_an_event_leave_an_audit_row_naming_the_event(database: Database) -> None:
    person = uuid.uuid4()
    await deliver(
        database, received(enrolment.StepStarted(beneficiary_id=person, step=1, track="individual", occurred_at=NOW))
    )
    withdrawn = received(
        enrolment.BeneficiaryWithdrawn(
            beneficiary_id=person, reason="moved_away", from_status="prerequisites", occurred_at=NOW
        )
    )
    erased = received(enrolment.BeneficiaryErased(beneficiary_id=person, occurred_at=NOW))
    await deliver(database, withdrawn)
    await deliver(database, erased)
    audit = tables.kit.audit
    async with database.engine.connect() as connection:
        rows = (
            await connection.execute(
                select(audit.c.action, audit.c.actor, audit.c.request_id, audit.c.object_type)
                .where(audit.c.object_id == str(person))
                .order_by(audit.c.at)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("withdraw", "event:/hope/enrolment", withdrawn.id, "beneficiary"),
        ("erase", "event:/hope/enrolment", erased.id, "beneficiary"),
    ]
