"""Support's events cost the housing, catering and support lines of a person's plans, on SQLite and PostgreSQL:
nights occupied (a release gives back the nights not used), a month's lunches and dinners (a correction posts
the difference), months with an open file; each count that posts publishes ``support_cost.recorded`` per line and
month, a duplicate posts and publishes nothing; a person no plan pays is listed as unfunded, never lost; the
claim takes these costs like hours."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.events.incoming import CONSUMERS
from hope_contracts import EventContract, support
from hopekit.events.subscriptions import process
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import received
from .support import Programme, kept_and_derived_balances, of_type

pytestmark = pytest.mark.integration

SUPPORT_CONSUMER = "funding.support-costs"
RECORDED = "fr.hope.funding.support_cost.recorded.v1"
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
LINES = [
    {"cost_type": "housing_night", "unit": "night", "rate": "30.00", "quantity": "1000.00", "amount": "30000.00"},
    {"cost_type": "catering_meal", "unit": "meal", "rate": "5.00", "quantity": "1000.00", "amount": "5000.00"},
    {"cost_type": "support_per_person_month", "unit": "person_month", "rate": "300.00", "quantity": "100.00",
     "amount": "30000.00"},
]  # fmt: skip


async def deliver_support(database: Database, contract: EventContract, event_id: str | None = None) -> bool:
    handlers = next(spec for spec in CONSUMERS if spec.name == "support-costs").handlers
    event = received(contract, source="/hope/support", event_id=event_id)
    return await process(SUPPORT_CONSUMER, FundingUnitOfWork(database), handlers[event.type], event)


async def support_plans(programme: Programme, lines: list[str]) -> None:
    """Plans of the cohort paying housing, catering and support months on these lines (in that order) at their
    rates: 30.00 a night, 5.00 a meal, 300.00 a person-month."""
    for (cost_type, unit_cost), line in zip(
        (("housing_night", "30.00"), ("catering_meal", "5.00"), ("support_per_person_month", "300.00")),
        lines,
        strict=True,
    ):
        await programme.post(
            "/v1/financing-plans",
            {
                "cost_type": cost_type,
                "unit_cost": unit_cost,
                "cohort_id": str(programme.cohort_id),
                "shares": [{"budget_line_id": line, "share": "1"}],
                "remainder_line_id": line,
            },
        )


def stay(person: uuid.UUID, starts_on: date, ends_on: date, at: datetime = T0) -> support.HousingAssigned:
    return support.HousingAssigned(
        placement_id=uuid.uuid4(),
        beneficiary_id=person,
        residence_id=uuid.uuid4(),
        bed_id=uuid.uuid4(),
        starts_on=starts_on,
        ends_on=ends_on,
        occurred_at=at,
    )


def leave(assigned: support.HousingAssigned, released_on: date, at: datetime) -> support.HousingReleased:
    return support.HousingReleased(
        placement_id=assigned.placement_id,
        beneficiary_id=assigned.beneficiary_id,
        residence_id=assigned.residence_id,
        bed_id=assigned.bed_id,
        released_on=released_on,
        occurred_at=at,
    )


async def recorded(database_url: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """The ``support_cost.recorded`` events in the outbox: (source, units, answered event, [(month's day, amount)])."""
    return [
        (
            str(event["source_id"]),
            str(event["units"]),
            str(event["source_event_id"]),
            [(entry["held_on"], entry["amount"]) for entry in event["entries"]],  # type: ignore[attr-defined]
        )
        for event in await of_type(database_url, RECORDED)
    ]


async def unfunded(programme: Programme) -> list[dict[str, Any]]:
    answer = await programme.client.get("/v1/unfunded-support-costs", headers=programme.operator)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_support_events_cost_nights_meals_and_months_and_post_only_differences(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice = uuid.uuid4()
    await programme.cohort([alice])
    await support_plans(programme, programme.line_ids)
    housing, catering, months = programme.line_ids

    assigned = stay(alice, date(2026, 1, 30), date(2026, 2, 5))
    placement, first = str(assigned.placement_id), str(uuid.uuid4())
    assert await deliver_support(database, assigned, event_id=first)
    assert (await programme.money("people", alice))["consumed"] == "180.00"  # 6 nights x 30.00
    # Published per month: the January nights dated from the placement's first day.
    assert await recorded(database_url) == [
        (placement, "6.00", first, [("2026-01-30", "60.00"), ("2026-02-01", "120.00")])
    ]
    # The same event again: the inbox drops it; the same content under another id posts and publishes nothing.
    assert not await deliver_support(database, assigned, event_id=first)
    assert await deliver_support(database, assigned)
    assert (await programme.money("people", alice))["consumed"] == "180.00"
    assert len(await recorded(database_url)) == 1

    released = str(uuid.uuid4())
    assert await deliver_support(database, leave(assigned, date(2026, 2, 2), T0 + timedelta(days=23)), released)
    # Left on the 2nd: 3 nights kept, the 3 not used (90.00) go back to the line.
    assert (await programme.money("people", alice))["consumed"] == "90.00"
    assert (await recorded(database_url))[-1] == (placement, "3.00", released, [("2026-02-01", "-90.00")])
    # An assignment older than the release (read again late) changes nothing.
    assert await deliver_support(database, assigned)
    assert (await programme.money("people", alice))["consumed"] == "90.00"
    assert len(await recorded(database_url)) == 2

    meals = support.MealsEntitled(
        beneficiary_id=alice, month=date(2026, 2, 1), breakfasts=20, lunches=20, dinners=18, occurred_at=T0
    )
    assert await deliver_support(database, meals)
    assert (await programme.money("people", alice))["consumed"] == "280.00"  # + 38 meals x 5.00
    corrected = meals.model_copy(update={"lunches": 15, "occurred_at": T0 + timedelta(days=1)})
    assert await deliver_support(database, corrected)
    assert (await programme.money("people", alice))["consumed"] == "255.00"  # 33 meals: 25.00 back

    file_id, org = uuid.uuid4(), uuid.uuid4()
    opened = support.SupportFileOpened(
        file_id=file_id, beneficiary_id=alice, support_org_id=org, cohort_id=programme.cohort_id, occurred_at=T0
    )
    assert await deliver_support(database, opened)
    assert (await programme.money("people", alice))["consumed"] == "555.00"  # January: 300.00
    closed = support.SupportFileClosed(
        file_id=file_id,
        beneficiary_id=alice,
        support_org_id=org,
        end_reason="path_completed",
        occurred_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
    )
    assert await deliver_support(database, closed)
    assert (await programme.money("people", alice))["consumed"] == "1155.00"  # January to March: 900.00

    # Every count that moved money published it: what was published sums to what was consumed, per line.
    published = await of_type(database_url, RECORDED)
    assert len(published) == 6  # placement, release, meals, corrected meals, opening, closing
    per_line: dict[str, Decimal] = {}
    for event in published:
        assert event["beneficiary_id"] == str(alice)
        for entry in event["entries"]:  # type: ignore[attr-defined]
            per_line[entry["budget_line_id"]] = per_line.get(entry["budget_line_id"], Decimal(0)) + Decimal(
                entry["amount"]
            )
    assert per_line == {housing: Decimal("90.00"), catering: Decimal("165.00"), months: Decimal("900.00")}
    assert published[-1]["cohort_id"] == str(programme.cohort_id)
    assert published[-1]["cost_type"] == "support_per_person_month"

    agreement = await programme.money("agreements", programme.agreement_id)
    assert agreement["available"] == str(Decimal("65000.00") - Decimal("1155.00"))
    assert agreement["committed"] == "1155.00"  # nothing reserved beyond what was consumed
    assert await unfunded(programme) == []
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived

    # The claim takes these costs, per person and cost type, like hours.
    claim = await programme.post(
        "/v1/claims",
        {"agreement_id": programme.agreement_id, "period_start": "2026-01-01", "period_end": "2026-03-31"},
    )
    assert claim["claimed"] == "1155.00"
    by_line = {line["budget_line_id"]: line["claimed"] for line in claim["lines"]}
    assert by_line == {housing: "90.00", catering: "165.00", months: "900.00"}


async def test_costs_no_plan_or_no_money_pays_are_kept_unfunded_and_listed(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    small = [dict(line) for line in LINES]
    small[1] |= {"quantity": "10.00", "amount": "50.00"}  # ten meals' worth
    await programme.agreement(small)
    alice, outsider = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice])
    await support_plans(programme, programme.line_ids)

    # Nobody's plan pays the outsider's nights: nothing moves, the placement is listed with its 4 nights.
    outsiders_stay = stay(outsider, date(2026, 2, 1), date(2026, 2, 5))
    assert await deliver_support(database, outsiders_stay)
    # More meals than the catering line has money for: none posted, listed as no_money.
    meals = support.MealsEntitled(
        beneficiary_id=alice, month=date(2026, 2, 1), breakfasts=0, lunches=8, dinners=8, occurred_at=T0
    )
    assert await deliver_support(database, meals)
    listed = {item["cost_type"]: item for item in await unfunded(programme)}
    assert listed["housing_night"]["id"] == str(outsiders_stay.placement_id)
    assert (listed["housing_night"]["reason"], listed["housing_night"]["quantity"]) == ("no_plan", "4.00")
    assert (listed["catering_meal"]["reason"], listed["catering_meal"]["quantity"]) == ("no_money", "16.00")
    agreement = await programme.money("agreements", programme.agreement_id)
    assert agreement["consumed"] == "0.00"
    assert await recorded(database_url) == [], "nothing paid, nothing published"

    # Corrected down to what the line can pay: posted, and no longer listed.
    fits = meals.model_copy(update={"lunches": 5, "dinners": 5, "occurred_at": T0 + timedelta(days=1)})
    assert await deliver_support(database, fits)
    assert (await programme.money("people", alice))["consumed"] == "50.00"
    assert [item["cost_type"] for item in await unfunded(programme)] == ["housing_night"]
    # Only the operator sees the list.
    other = await client.get(
        "/v1/unfunded-support-costs", headers=issuer.headers(OrgKind.TRAINING_PROVIDER, Role.READER)
    )
    assert other.status_code == 403
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
