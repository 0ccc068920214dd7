"""On PostgreSQL and a real Kafka: enrolment's step start and training's course schedules arrive on their own
topics, in whatever order the consumer reads them, the schedule twice and re-scheduled; the ledger ends with the
latest schedule's hours committed, balanced. (Funding's own topic is left to the end-to-end test, which counts
what is on it.)"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from aiokafka import AIOKafkaProducer

from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_contracts import EventContract, enrolment, training
from hopekit.db.engine import make_engine
from hopekit.events import cloudevent
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database

from .support import Programme, kept_and_derived_balances

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


async def send(producer: AIOKafkaProducer, contract: EventContract, source: str) -> None:
    key, value, headers = cloudevent.encode(
        event_id=uuid.uuid4(),
        source=source,
        type_=contract.event_type,
        subject=contract.subject(),
        time=NOW,
        key=contract.partition_key(),
        payload=contract.model_dump_json().encode(),
    )
    await producer.send_and_wait(contract.topic(), value=value, key=key, headers=headers)


async def test_course_schedules_from_kafka_leave_the_latest_planned_hours_committed(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    app = create_app(service_settings(FundingSettings, postgres_url, issuer, kafka_bootstrap))
    engine = make_engine(postgres_url)
    try:
        async with running(app) as client:
            programme = Programme(client, issuer, Database(engine=engine, tables=app.state.database.tables))
            await programme.agreement([{"rate": "15.00", "quantity": "1000.00", "amount": "15000.00"}])
            person = uuid.uuid4()
            producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
            await producer.start()
            try:
                cohort = enrolment.CohortCreated(
                    cohort_id=programme.cohort_id,
                    sector_code="logistics",
                    region="11",
                    track="group",
                    training_provider_org_id=programme.provider_org,
                    support_provider_org_id=uuid.uuid4(),
                    capacity=12,
                    occurred_at=NOW,
                )
                await send(producer, cohort, "/hope/enrolment")
                for _ in range(200):  # the plan needs the cohort; the topic is shared, so wait for this one
                    listed = (await client.get("/v1/cohorts-without-plan", headers=programme.operator)).json()
                    if str(programme.cohort_id) in listed["cohort_ids"]:
                        break
                    await asyncio.sleep(0.1)
                await programme.plan("15.00", ["1"])
                course = training.CourseScheduled(
                    course_id=uuid.uuid4(),
                    step=3,
                    cohort_id=programme.cohort_id,
                    provider_org_id=programme.provider_org,
                    planned_hours=Decimal("380.00"),
                    starts_on=date(2027, 3, 1),
                    ends_on=date(2027, 6, 25),
                    occurred_at=NOW,
                )
                rescheduled = course.model_copy(
                    update={"planned_hours": Decimal("410.00"), "occurred_at": NOW + timedelta(minutes=5)}
                )
                await send(producer, course, "/hope/training")
                await send(
                    producer,
                    enrolment.CohortMemberAdded(cohort_id=programme.cohort_id, beneficiary_id=person, occurred_at=NOW),
                    "/hope/enrolment",
                )
                await send(
                    producer,
                    enrolment.StepStarted(
                        beneficiary_id=person, step=3, track="group", cohort_id=programme.cohort_id, occurred_at=NOW
                    ),
                    "/hope/enrolment",
                )
                for contract in (rescheduled, course, rescheduled):  # the first version late, the second twice
                    await send(producer, contract, "/hope/training")
            finally:
                await producer.stop()

            for _ in range(300):  # 404 until the person's first money moves
                answer = await client.get(f"/v1/money/people/{person}", headers=programme.operator)
                if answer.status_code == 200 and answer.json()["committed"] == "6150.00":
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # anything still on its way would move it again
            view = await programme.money("people", person)
            assert view["committed"] == "6150.00"  # 410 h x 15.00, whichever topic was read first
            line = await programme.money("agreements", programme.agreement_id)
            assert line["available"] == "8850.00"
        kept, derived = await kept_and_derived_balances(postgres_url)
        assert kept == derived
    finally:
        await engine.dispose()
