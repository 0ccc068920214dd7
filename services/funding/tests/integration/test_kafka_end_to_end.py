"""End to end on PostgreSQL and a real Kafka: an agreement and a plan over HTTP, enrolment's and training's
events read from their topics (the sheet delivered twice), the ledger written once, and funding's own
commitment and consumption events relayed onto ``hope.funding.events``."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from hope_contracts import enrolment, training
from hopekit.testing import TokenIssuer, kafka_record

from .support import funding_on_kafka

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


async def funding_events(bootstrap: str, wanted: dict[str, int], person: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Funding's events about ``person`` read back from Kafka until ``wanted`` (type: count) are there (the topic is
    shared with the session's other tests)."""
    consumer = AIOKafkaConsumer(
        "hope.funding.events", bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        async with asyncio.timeout(60):
            while any(len(found.get(type_, [])) < count for type_, count in wanted.items()):
                batch = await consumer.getmany(timeout_ms=500)
                for messages in batch.values():
                    for message in messages:
                        if str(person) not in (message.value or b"").decode():
                            continue
                        headers = {name: value.decode() for name, value in message.headers}
                        found.setdefault(headers["ce_type"], []).append(json.loads(message.value or b"{}"))
    finally:
        await consumer.stop()
    return found


async def test_events_from_kafka_commit_and_consume_once_and_funding_publishes_its_own(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    async with funding_on_kafka(postgres_url, kafka_bootstrap, issuer) as programme:
        person = uuid.uuid4()
        cohort = programme.cohort_created()
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            key, value, headers = kafka_record(cohort)
            await producer.send_and_wait("hope.enrolment.events", value=value, key=key, headers=headers)
            await programme.wait_for_cohort()  # the plan needs the cohort's region and sector
            await programme.plan("15.00", ["1"])
            member = enrolment.CohortMemberAdded(cohort_id=programme.cohort_id, beneficiary_id=person, occurred_at=NOW)
            started = enrolment.StepStarted(
                beneficiary_id=person, step=3, track="group", cohort_id=programme.cohort_id, occurred_at=NOW
            )
            for contract in (member, started):
                key, value, headers = kafka_record(contract)
                await producer.send_and_wait("hope.enrolment.events", value=value, key=key, headers=headers)
            # The sheets come on another topic, which nothing orders after enrolment's: wait for the commitment so
            # that this test checks consumption drawn from it. (A sheet consumed before the step's commitment
            # draws from the line, and the commitment then reserves the whole step again: a known defect.)
            await funding_events(kafka_bootstrap, {"fr.hope.funding.commitment.made.v1": 1}, person)
            sheet = training.AttendanceRecorded(
                session_id=uuid.uuid4(),
                course_id=uuid.uuid4(),
                step=3,
                cohort_id=programme.cohort_id,
                held_on=date(2026, 3, 2),
                session_hours=Decimal("7.00"),
                session_kind="core",
                entries=(
                    training.AttendanceEntry(beneficiary_id=person, status="present", hours_attended=Decimal("7.00")),
                ),
                occurred_at=NOW,
            )
            key, value, headers = kafka_record(sheet)
            for _ in range(2):  # the same record delivered twice
                await producer.send_and_wait("hope.training.events", value=value, key=key, headers=headers)
            # Then corrected (one hour less): same key, so it is applied after the duplicate.
            entries = (
                training.AttendanceEntry(beneficiary_id=person, status="unexcused", hours_attended=Decimal("6.00")),
            )
            key, value, headers = kafka_record(sheet.model_copy(update={"entries": entries}))
            await producer.send_and_wait("hope.training.events", value=value, key=key, headers=headers)
        finally:
            await producer.stop()

        made, consumed = "fr.hope.funding.commitment.made.v1", "fr.hope.funding.consumption.recorded.v1"
        published = await funding_events(kafka_bootstrap, {made: 1, consumed: 2}, person)
        assert [event["total_amount"] for event in published[made]] == ["6000.00"]
        amounts = [[entry["amount"] for entry in event["entries"]] for event in published[consumed]]
        assert amounts == [["105.00"], ["-15.00"]]
        view = await programme.money("people", person)
        assert (view["committed"], view["consumed"]) == ("6000.00", "90.00")
