"""On PostgreSQL and a real Kafka: enrolment's cohort and step-started records and training's scheduled sessions
(sent twice) go in on their own topics, in whatever order support reads them; the person's month comes out as
``meals_entitled`` with one lunch per training day, and a duplicate publishes nothing more."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from hope_contracts import EventContract, training
from hopekit.testing import TokenIssuer, kafka_record, running
from support_service.main import create_app

from .conftest import settings_for
from .support import cohort_created, step_started

pytestmark = pytest.mark.integration

ENTITLED = "fr.hope.support.catering.meals_entitled.v1"


async def publish(bootstrap: str, *records: tuple[EventContract, str]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for contract, event_id in records:
            key, value, headers = kafka_record(contract, event_id=uuid.UUID(event_id))
            await producer.send_and_wait(contract.topic(), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def entitlements_of(bootstrap: str, person: uuid.UUID, wait_s: float = 60.0) -> list[dict[str, Any]]:
    consumer = AIOKafkaConsumer(
        "hope.support.events", bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    found: list[dict[str, Any]] = []

    def take(records: list[Any]) -> None:
        for record in records:
            headers = {name: value.decode() for name, value in record.headers}
            if record.key == str(person).encode() and headers["ce_type"] == ENTITLED:
                found.append(json.loads(record.value))

    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while asyncio.get_running_loop().time() < deadline and not found:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                take(records)
        for records in (await consumer.getmany(timeout_ms=2000)).values():  # a second copy would show here
            take(records)
    finally:
        await consumer.stop()
    return found


async def test_scheduled_sessions_on_kafka_entitle_the_cohort_s_people_once(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer, kek: str
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    scheduled = training.SessionsScheduled(
        course_id=uuid.uuid4(),
        step=3,
        cohort_id=cohort,
        sessions=tuple(
            training.ScheduledSession(
                session_id=uuid.uuid4(),
                held_on=day,
                starts_at=time(9),
                ends_at=time(16, 30),
                hours=Decimal("6.50"),
                session_kind="core",
            )
            for day in (date(2027, 6, 7), date(2027, 6, 8), date(2027, 6, 9))
        ),
        occurred_at=datetime.now(UTC),
    )
    await publish(
        kafka_bootstrap,
        (cohort_created(cohort, org), str(uuid.uuid4())),
        (step_started(person, 3, cohort), str(uuid.uuid4())),
        (scheduled, str(uuid.uuid4())),
        (scheduled, str(uuid.uuid4())),  # training sent it again
    )

    async with running(create_app(settings_for(postgres_url, issuer, kafka_bootstrap, kek=kek))):
        found = await entitlements_of(kafka_bootstrap, person)

    # Whichever topic was read first, the last word for June is three lunches, and no duplicate follows it.
    assert found
    assert (found[-1]["month"], found[-1]["breakfasts"], found[-1]["lunches"], found[-1]["dinners"]) == (
        "2027-06-01",
        0,
        3,
        0,
    )
    assert len(found) == 1
