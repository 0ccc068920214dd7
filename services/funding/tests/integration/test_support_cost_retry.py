"""Support's units left unpaid are counted again when money may pay them, in the same transaction, on SQLite and
PostgreSQL: a plan made after the placement, an agreement activated after it, nights given back to a line that had
run out. Each time the unpaid list empties, the money moves and ``support_cost.recorded`` answers the support event
that brought the units."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from funding_service.adapters.tables import kit
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.vocabulary import CostType
from funding_service.service_layer import support_costs, support_retry
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme, kept_and_derived_balances, of_type
from .test_support_costs import LINES, RECORDED, T0, deliver_support, leave, recorded, stay, unfunded

pytestmark = pytest.mark.integration


async def housing_plan(programme: Programme, line: str, *, beneficiary: uuid.UUID | None = None) -> None:
    payee = {"beneficiary_id": str(beneficiary)} if beneficiary else {"cohort_id": str(programme.cohort_id)}
    await programme.post(
        "/v1/financing-plans",
        {
            "cost_type": "housing_night",
            "unit_cost": "30.00",
            "shares": [{"budget_line_id": line, "share": "1"}],
            "remainder_line_id": line,
        }
        | payee,
    )


async def test_a_placement_before_any_plan_is_paid_and_published_when_the_plan_arrives(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice = uuid.uuid4()
    await programme.cohort([alice])
    assigned = stay(alice, date(2026, 2, 1), date(2026, 2, 5))
    event_id = str(uuid.uuid4())
    assert await deliver_support(database, assigned, event_id)
    assert [(item["id"], item["reason"]) for item in await unfunded(programme)] == [
        (str(assigned.placement_id), "no_plan")
    ]
    assert await recorded(database_url) == []

    await housing_plan(programme, programme.line_ids[0])

    assert await unfunded(programme) == []
    assert (await programme.money("people", alice))["consumed"] == "120.00"  # 4 nights x 30.00
    assert await recorded(database_url) == [(str(assigned.placement_id), "4.00", event_id, [("2026-02-01", "120.00")])]
    # A plan for another cost type finds nothing to pay, and publishes nothing more.
    await programme.post(
        "/v1/financing-plans",
        {
            "cost_type": "catering_meal",
            "unit_cost": "5.00",
            "cohort_id": str(programme.cohort_id),
            "shares": [{"budget_line_id": programme.line_ids[1], "share": "1"}],
            "remainder_line_id": programme.line_ids[1],
        },
    )
    assert len(await of_type(database_url, RECORDED)) == 1
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
    # The money moved on the operator's request: the audit names the operator, as for the plan itself.
    paid_by = await actors(database, "consume")
    assert paid_by
    assert paid_by <= await actors(database, "create", "financing-plan")


async def actors(database: Database, action: str, object_type: str = "beneficiary") -> set[tuple[str, uuid.UUID]]:
    audit = kit.audit
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(audit.c.actor, audit.c.actor_org_id).where(
                audit.c.action == action, audit.c.object_type == object_type
            )
        )
        return {(row.actor, row.actor_org_id) for row in rows}


async def test_units_an_inactive_agreement_could_not_pay_are_paid_when_it_becomes_active(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    signed = await programme.post(
        "/v1/agreements",
        {
            "funder_id": programme.funder_id,
            "reference": "AKTO-2026-002",
            "period_start": "2026-01-01",
            "period_end": "2027-12-31",
        },
    )
    line = await programme.post(f"/v1/agreements/{signed['id']}/lines", LINES[0])
    await programme.post(f"/v1/agreements/{signed['id']}/sign", {"signed_on": "2026-01-05"}, 200)
    bob = uuid.uuid4()
    await programme.cohort([bob])
    await housing_plan(programme, line["id"], beneficiary=bob)
    assigned = stay(bob, date(2026, 2, 1), date(2026, 2, 3))
    assert await deliver_support(database, assigned)
    assert [item["reason"] for item in await unfunded(programme)] == ["inactive"]

    await programme.post(f"/v1/agreements/{signed['id']}/activate", {}, 200)

    assert await unfunded(programme) == []
    assert (await programme.money("agreements", signed["id"]))["consumed"] == "60.00"
    assert [entries for *_, entries in await recorded(database_url)] == [[("2026-02-01", "60.00")]]
    paid_by = await actors(database, "consume")
    assert paid_by
    assert paid_by <= await actors(database, "activate", "agreement")


async def test_nights_given_back_to_a_line_that_had_run_out_pay_the_placement_waiting_for_them(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    five_nights = [LINES[0] | {"quantity": "5.00", "amount": "150.00"}]
    await programme.agreement(five_nights)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bob])
    await housing_plan(programme, programme.line_ids[0])
    alices = stay(alice, date(2026, 2, 1), date(2026, 2, 6))  # the line's 5 nights
    bobs = stay(bob, date(2026, 2, 1), date(2026, 2, 4), T0 + timedelta(hours=1))
    bobs_event = str(uuid.uuid4())
    assert await deliver_support(database, alices)
    assert await deliver_support(database, bobs, bobs_event)
    assert [(item["beneficiary_id"], item["reason"]) for item in await unfunded(programme)] == [(str(bob), "no_money")]

    # Alice leaves after one night: four go back to the line, and Bob's three are paid in the same transaction.
    assert await deliver_support(database, leave(alices, date(2026, 2, 2), T0 + timedelta(days=2)))

    assert await unfunded(programme) == []
    assert (await programme.money("people", bob))["consumed"] == "90.00"
    assert (await programme.money("agreements", programme.agreement_id))["available"] == "30.00"
    assert (await recorded(database_url))[-1] == (
        str(bobs.placement_id),
        "3.00",
        bobs_event,
        [("2026-02-01", "90.00")],
    )
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_a_change_counts_again_at_most_the_limit_the_longest_waiting_first(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    database: Database,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(support_retry, "RETRY_LIMIT", 1)
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bob])
    bobs = stay(bob, date(2026, 2, 1), date(2026, 2, 3), T0 + timedelta(hours=1))
    alices = stay(alice, date(2026, 2, 1), date(2026, 2, 3))
    assert await deliver_support(database, bobs)
    assert await deliver_support(database, alices)  # came in later, but its event is older

    await housing_plan(programme, programme.line_ids[0])

    assert [item["beneficiary_id"] for item in await unfunded(programme)] == [str(bob)]
    assert (await programme.money("people", alice))["consumed"] == "60.00"


async def _done_or_waiting(task: asyncio.Task[object], database_url: str) -> str:
    """ "done" once the task finished, "waiting" once a transaction waits on a row lock (whichever comes first)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            while not task.done():
                waiting = await connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                )
                if waiting:
                    return "waiting"
                await asyncio.sleep(0.02)
            return "done"
    finally:
        await engine.dispose()


async def test_two_retries_of_one_source_at_once_pay_it_once(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's (SQLite has one writer at a time)")
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice = uuid.uuid4()
    await programme.cohort([alice])
    assert await deliver_support(database, stay(alice, date(2026, 2, 1), date(2026, 2, 5)))
    line = uuid.UUID(programme.line_ids[0])

    async with FundingUnitOfWork(database) as uow:
        # A plan for the cohort is being made: its retry pays the placement, not committed yet.
        cohorts = FinancingPlan(
            plan_id=uuid.uuid4(),
            cost_type=CostType.HOUSING_NIGHT,
            unit_cost=Decimal("30.00"),
            shares={line: Decimal(1)},
            remainder_line_id=line,
            cohort_id=programme.cohort_id,
        )
        await uow.reference.add_plan(cohorts)
        await support_retry.for_plan(uow, cohorts)
        # Meanwhile a plan for Alice's own path: its retry leaves the placement to the one counting it.
        own = asyncio.create_task(housing_plan(programme, programme.line_ids[0], beneficiary=alice))
        assert await _done_or_waiting(own, database_url) == "done"
        await uow.commit()
    await own

    assert (await programme.money("people", alice))["consumed"] == "120.00"
    assert len(await recorded(database_url)) == 1
    assert await unfunded(programme) == []
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_a_retry_and_a_support_event_on_the_same_line_do_not_deadlock(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    """The support event holds Bob's placement; Alice's release, on the same line, gives nights back and retries
    Bob's: it must not wait for the placement while it holds the line (the event then waits for the line)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's (SQLite has one writer at a time)")
    programme = Programme(client, issuer, database)
    await programme.agreement([LINES[0] | {"quantity": "5.00", "amount": "150.00"}])
    alice, bob = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bob])
    await housing_plan(programme, programme.line_ids[0])
    alices = stay(alice, date(2026, 2, 1), date(2026, 2, 6))  # the line's 5 nights
    bobs = stay(bob, date(2026, 2, 1), date(2026, 2, 4), T0 + timedelta(hours=1))
    assert await deliver_support(database, alices)
    assert await deliver_support(database, bobs)
    assert [item["reason"] for item in await unfunded(programme)] == ["no_money"]

    async with FundingUnitOfWork(database) as uow:
        # Bob's placement is changed by support (a night more): its event holds the placement first.
        assert await uow.support.source(bobs.placement_id, lock=True) is not None
        alice_leaves = leave(alices, date(2026, 2, 2), T0 + timedelta(days=2))
        release = asyncio.create_task(deliver_support(database, alice_leaves))
        assert await _done_or_waiting(release, database_url) == "done"
        longer = bobs.model_copy(update={"ends_on": date(2026, 2, 5), "occurred_at": T0 + timedelta(days=3)})
        await support_costs.on_housing_assigned(uow, longer)
        await uow.commit()
    assert await release

    assert await unfunded(programme) == []
    assert (await programme.money("people", bob))["consumed"] == "120.00"  # 4 nights: Alice gave 4 back
    assert (await programme.money("agreements", programme.agreement_id))["available"] == "0.00"
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
