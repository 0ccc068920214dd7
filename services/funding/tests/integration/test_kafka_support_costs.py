"""On PostgreSQL and a real Kafka: support's placement, its release, a month's meals sent twice and corrected,
and a file opened and closed arrive on support's topic for one person; funding's support-costs consumer posts
exactly the nights, meals and months they end with, balanced, and publishes each change on
``hope.funding.events`` (``support_cost.recorded``; the duplicate publishes nothing). A placement that came before
any plan is paid, and published, when the plan is made."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from aiokafka import AIOKafkaProducer

from hope_contracts import enrolment, support
from hopekit.testing import TokenIssuer

from .support import Programme, funding_on_kafka, kept_and_derived_balances
from .test_kafka_end_to_end import funding_events
from .test_kafka_scheduled_courses import send
from .test_support_costs import LINES, RECORDED, leave, stay, support_plans, unfunded

pytestmark = pytest.mark.integration

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


async def join_cohort(producer: AIOKafkaProducer, programme: Programme, person: uuid.UUID) -> None:
    """Enrolment's cohort and the person joining it, sent on Kafka, until funding has them."""
    await send(producer, programme.cohort_created())
    await send(
        producer,
        enrolment.CohortMemberAdded(cohort_id=programme.cohort_id, beneficiary_id=person, occurred_at=T0),
    )
    await programme.wait_for_cohort()


async def test_support_events_from_kafka_leave_the_units_they_end_with_consumed(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    async with funding_on_kafka(postgres_url, kafka_bootstrap, issuer) as programme:
        await programme.agreement(LINES, code="REG-IDF")
        person = uuid.uuid4()
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            await join_cohort(producer, programme, person)
            await support_plans(programme, programme.line_ids[1:])
            file_id, org = uuid.uuid4(), uuid.uuid4()
            assigned = stay(person, date(2026, 1, 30), date(2026, 2, 5))
            meals = support.MealsEntitled(
                beneficiary_id=person, month=date(2026, 2, 1), breakfasts=20, lunches=20, dinners=18, occurred_at=T0
            )
            for contract in (
                support.SupportFileOpened(file_id=file_id, beneficiary_id=person, support_org_id=org, occurred_at=T0),
                assigned,
                meals,
                meals,  # sent twice
                meals.model_copy(update={"lunches": 15, "occurred_at": T0 + timedelta(days=1)}),
                leave(assigned, date(2026, 2, 2), T0 + timedelta(days=23)),
                support.SupportFileClosed(
                    file_id=file_id,
                    beneficiary_id=person,
                    support_org_id=org,
                    end_reason="path_completed",
                    occurred_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
                ),
            ):
                await send(producer, contract)
        finally:
            await producer.stop()

        # 3 nights x 30.00 + 33 meals x 5.00 + 3 months x 300.00.
        expected = "1155.00"
        for _ in range(300):
            answer = await programme.client.get(f"/v1/money/people/{person}", headers=programme.operator)
            if answer.status_code == 200 and answer.json()["consumed"] == expected:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # anything still on its way would move it again
        assert (await programme.money("people", person))["consumed"] == expected
        view = await programme.money("agreements", programme.agreement_id)
        assert (view["consumed"], view["available"]) == (expected, "63845.00")
        # Opening, placement, meals, their correction, release, closing: six changes (the duplicate is none).
        published = (await funding_events(kafka_bootstrap, {RECORDED: 6}, person))[RECORDED]
        assert [event["cost_type"] for event in published] == [
            "support_per_person_month",
            "housing_night",
            "catering_meal",
            "catering_meal",
            "housing_night",
            "support_per_person_month",
        ]
        assert [[entry["amount"] for entry in event["entries"]] for event in published[1:5]] == [
            ["60.00", "120.00"],
            ["190.00"],
            ["-25.00"],
            ["-90.00"],
        ]
        assert sum(Decimal(entry["amount"]) for event in published for entry in event["entries"]) == Decimal(expected)
        assert {event["source_id"] for event in published[1:5:3]} == {str(assigned.placement_id)}
    kept, derived = await kept_and_derived_balances(postgres_url)
    assert kept == derived


async def test_a_placement_before_any_plan_is_paid_and_published_when_the_plan_is_made(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    async with funding_on_kafka(postgres_url, kafka_bootstrap, issuer) as programme:
        await programme.agreement(LINES, code="REG-IDF")
        person = uuid.uuid4()
        assigned = stay(person, date(2026, 2, 1), date(2026, 2, 5))
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            await join_cohort(producer, programme, person)
            await send(producer, assigned)
        finally:
            await producer.stop()
        for _ in range(300):
            if any(item["id"] == str(assigned.placement_id) for item in await unfunded(programme)):
                break
            await asyncio.sleep(0.1)
        assert [(item["id"], item["reason"]) for item in await unfunded(programme)] == [
            (str(assigned.placement_id), "no_plan")
        ]

        await support_plans(programme, programme.line_ids[1:])

        assert await unfunded(programme) == []
        assert (await programme.money("people", person))["consumed"] == "120.00"
        published = (await funding_events(kafka_bootstrap, {RECORDED: 1}, person))[RECORDED]
        assert [(event["source_id"], event["units"]) for event in published] == [(str(assigned.placement_id), "4.00")]
        assert [entry["amount"] for entry in published[0]["entries"]] == ["120.00"]
