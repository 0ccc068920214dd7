"""End to end on PostgreSQL and a real Kafka: enrolment's cohort and step-started records go in, the support file
opens, and exactly one support-file-opened CloudEvent comes out, keyed by the person."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from hope_contracts import EventContract
from hopekit.testing import TokenIssuer, kafka_record, running
from support_service.main import create_app

from .conftest import settings_for
from .support import cohort_created, step_started

pytestmark = pytest.mark.integration


async def publish(bootstrap: str, *contracts: EventContract) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for contract in contracts:
            key, value, headers = kafka_record(contract)
            await producer.send_and_wait(contract.topic(), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def records_keyed(bootstrap: str, key: str, wait_s: float = 60.0) -> list[Any]:
    consumer = AIOKafkaConsumer(
        "hope.support.events",
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    found: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while asyncio.get_running_loop().time() < deadline and not found:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                found.extend(r for r in records if r.key == key.encode())
        # Keep reading briefly: a second copy would be a duplicate publication.
        for records in (await consumer.getmany(timeout_ms=1500)).values():
            found.extend(r for r in records if r.key == key.encode())
    finally:
        await consumer.stop()
    return found


async def test_a_step_3_record_on_kafka_opens_the_file_and_publishes_one_opened_event(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer, kek: str
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(kafka_bootstrap, cohort_created(cohort, org), step_started(person, 3, cohort))

    async with running(create_app(settings_for(postgres_url, issuer, kafka_bootstrap, kek=kek))):
        records = await records_keyed(kafka_bootstrap, str(person))

    assert len(records) == 1
    headers = {key: value.decode() for key, value in records[0].headers}
    assert headers["ce_type"] == "fr.hope.support.support_file.opened.v1"
    assert headers["ce_source"] == "/hope/support"
    payload = json.loads(records[0].value)
    assert (payload["beneficiary_id"], payload["support_org_id"], payload["cohort_id"]) == (
        str(person),
        str(org),
        str(cohort),
    )
