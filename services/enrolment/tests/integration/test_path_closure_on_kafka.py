"""Over real Kafka: training's qualification result and employment's outcome reach enrolment's consumer, each
twice, before, between or after step 4's start (every order, one person each), and every path completes with
exactly one `beneficiary.completed` on the wire."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import select

from enrolment_service.adapters.tables import path_closures
from enrolment_service.main import create_app
from hope_contracts import EventContract
from hope_contracts.vocabulary import OrgKind
from hopekit.testing import TokenIssuer, kafka_record, running
from hopekit.uow import Database

from .closure_steps import (
    COMPLETED,
    NOW,
    OUTCOME,
    QUALIFICATION,
    STEP_4,
    outcome_recorded,
    qualification_awarded,
    ready_for_step_4,
    start_4,
    status_of,
)
from .conftest import Partners, settings_for
from .test_step_four_api import AFPA, SCHOOL

pytestmark = pytest.mark.integration

ORDERS = list(itertools.permutations([STEP_4, QUALIFICATION, OUTCOME]))


@pytest.fixture
async def _partners(postgres_url: str, partners_of: Partners) -> None:
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """The partner projection is seeded in this test's own PostgreSQL database."""
    return postgres_url


async def send_twice(producer: AIOKafkaProducer, contract: EventContract) -> None:
    key, value, headers = kafka_record(contract, time=NOW)
    for _ in range(2):  # at-least-once delivery: the same record again
        await producer.send_and_wait(contract.topic(), value=value, key=key, headers=headers)


async def signals_seen(database: Database, person: str) -> set[str]:
    async with database.engine.connect() as connection:
        row = (
            await connection.execute(select(path_closures).where(path_closures.c.beneficiary_id == uuid.UUID(person)))
        ).one_or_none()
    if row is None:
        return set()
    return {name for name in (STEP_4, QUALIFICATION, OUTCOME) if getattr(row, name)}


async def eventually(check: Any, timeout_s: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "not reached in time"
        await asyncio.sleep(0.1)


async def completions_on_the_wire(bootstrap: str, people: set[str]) -> Counter[str]:
    """Every `completed` about these people on enrolment's topic, reading on a while after the last one."""
    consumer = AIOKafkaConsumer(
        "hope.enrolment.events",
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    found: Counter[str] = Counter()

    async def read(timeout_ms: int) -> None:
        for records in (await consumer.getmany(timeout_ms=timeout_ms)).values():
            for record in records:
                headers = dict(record.headers)
                subject = headers.get("ce_subject", b"").decode()
                if subject in people and headers.get("ce_type") == COMPLETED.encode():
                    found[subject] += 1

    try:
        deadline = asyncio.get_running_loop().time() + 30
        while asyncio.get_running_loop().time() < deadline and set(found) != people:
            await read(500)
        await read(2000)  # a second copy would be a duplicate
    finally:
        await consumer.stop()
    return found


@pytest.mark.usefixtures("_partners")
async def test_every_order_twice_over_kafka_completes_each_path_once(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer, registration: Any, prerequisites: Any
) -> None:
    app = create_app(settings_for(postgres_url, issuer, kafka_bootstrap))
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        async with running(app) as http:
            database: Database = app.state.database
            people = {
                order: await ready_for_step_4(
                    http,
                    issuer,
                    registration,
                    prerequisites,
                    database,
                )
                for order in ORDERS
            }
            for position in range(3):
                for order, person in people.items():
                    match order[position]:
                        case "step_4_started":
                            await start_4(http, issuer, person)
                        case "qualification_result_in":
                            await send_twice(producer, qualification_awarded(person))
                        case _:
                            await send_twice(producer, outcome_recorded(person))
                # Each signal is in before the next one is given: the orders are the ones named.
                for order, person in people.items():
                    expected = set(order[: position + 1])

                    async def arrived(person: str = person, expected: set[str] = expected) -> bool:
                        return await signals_seen(database, person) >= expected

                    await eventually(arrived)
            for person in people.values():
                assert await status_of(http, issuer, person) == "completed"
            on_the_wire = await completions_on_the_wire(kafka_bootstrap, set(people.values()))
    finally:
        await producer.stop()

    assert on_the_wire == Counter(dict.fromkeys(people.values(), 1))
