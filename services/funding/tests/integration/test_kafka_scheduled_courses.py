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

from hope_contracts import EventContract, enrolment, training
from hopekit.testing import TokenIssuer, kafka_record

from .support import funding_on_kafka, kept_and_derived_balances

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


async def send(producer: AIOKafkaProducer, contract: EventContract) -> None:
    key, value, headers = kafka_record(contract)
    await producer.send_and_wait(contract.topic(), value=value, key=key, headers=headers)


async def test_course_schedules_from_kafka_leave_the_latest_planned_hours_committed(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    async with funding_on_kafka(postgres_url, kafka_bootstrap, issuer) as programme:
        client = programme.client
        person = uuid.uuid4()
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            cohort = programme.cohort_created()
            await send(producer, cohort)
            await programme.wait_for_cohort()
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
            await send(producer, course)
            await send(
                producer,
                enrolment.CohortMemberAdded(cohort_id=programme.cohort_id, beneficiary_id=person, occurred_at=NOW),
            )
            await send(
                producer,
                enrolment.StepStarted(
                    beneficiary_id=person, step=3, track="group", cohort_id=programme.cohort_id, occurred_at=NOW
                ),
            )
            for contract in (rescheduled, course, rescheduled):  # the first version late, the second twice
                await send(producer, contract)
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
