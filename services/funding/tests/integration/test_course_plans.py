"""Training's scheduled courses set what a step's commitment stands for: the course's planned hours instead of
the step's 400 h / 450 h. A re-schedule commits or releases exactly the difference; versions twice or out of
order leave the same ledger; an increase the line cannot pay is listed for the operator, never lost."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from hope_contracts import training
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver, received
from .support import Programme, kept_and_derived_balances, of_type

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "10000.00", "amount": "150000.00"}
COMMITTED = "fr.hope.funding.commitment.made.v1"
RELEASED = "fr.hope.funding.commitment.released.v1"
EARLIER = datetime(2026, 2, 1, 9, tzinfo=UTC)


def scheduled(
    programme: Programme, course_id: uuid.UUID, hours: str, version: int, person: uuid.UUID | None = None
) -> training.CourseScheduled:
    return training.CourseScheduled(
        course_id=course_id,
        step=3,
        cohort_id=None if person else programme.cohort_id,
        beneficiary_id=person,
        provider_org_id=programme.provider_org,
        planned_hours=Decimal(hours),
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 6, 26),
        occurred_at=EARLIER + timedelta(hours=version),
    )


async def schedule(programme: Programme, course: training.CourseScheduled) -> bool:
    return await deliver(programme.database, received(course, source="/hope/training"))


async def test_a_course_s_planned_hours_are_committed_and_a_re_schedule_moves_exactly_the_difference(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE, LINE])
    alice, bruno = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bruno])
    await programme.plan("15.00", ["0.7", "0.3"])
    course = uuid.uuid4()

    # Alice starts before training has scheduled anything: the step's 400 h (6,000.00).
    await programme.step_started(alice)
    assert (await programme.money("people", alice))["committed"] == "6000.00"

    # The course plans 380 h: 20 h x 15.00 = 300.00 go back to the lines, 70 % / 30 %.
    assert await schedule(programme, scheduled(programme, course, "380.00", 1))
    [released] = await of_type(database_url, RELEASED)
    assert released["reason"] == "rescheduled"
    assert released["total_amount"] == "300.00"
    assert sorted(part["amount"] for part in released["parts"]) == ["210.00", "90.00"]  # type: ignore[union-attr]
    assert (await programme.money("people", alice))["committed"] == "5700.00"

    # Bruno starts after: the course's 380 h at once, nothing to adjust.
    await programme.step_started(bruno)
    made = await of_type(database_url, COMMITTED)
    assert [event["total_amount"] for event in made] == ["6000.00", "5700.00"]
    assert made[1]["planned_quantity"] == "380.00"

    # Re-scheduled to 420 h: 40 h more for each, 600.00 each, committed as the difference.
    assert await schedule(programme, scheduled(programme, course, "420.00", 2))
    raised = (await of_type(database_url, COMMITTED))[2:]
    assert sorted((event["beneficiary_id"], event["total_amount"]) for event in raised) == sorted(
        [(str(alice), "600.00"), (str(bruno), "600.00")]
    )
    assert all(event["planned_quantity"] == "40.00" for event in raised)

    # The first version arriving late, and the second again under another event id: nothing moves.
    assert await schedule(programme, scheduled(programme, course, "380.00", 1))
    assert await schedule(programme, scheduled(programme, course, "420.00", 2))
    assert len(await of_type(database_url, COMMITTED)) == 4
    assert len(await of_type(database_url, RELEASED)) == 1

    cohort = await programme.money("cohorts", programme.cohort_id)
    assert cohort["committed"] == "12600.00"  # 2 x 420 h x 15.00
    agreement = await programme.money("agreements", programme.agreement_id)
    assert agreement["available"] == "287400.00"
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


@pytest.mark.parametrize("order", [(1, 2), (2, 1), (2, 2, 1, 1)])
async def test_versions_of_a_course_in_any_order_or_twice_leave_the_same_commitment(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, order: tuple[int, ...]
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    person = uuid.uuid4()
    await programme.cohort([person])
    await programme.plan("15.00", ["1"])
    await programme.step_started(person)
    course = uuid.uuid4()
    hours = {1: "350.00", 2: "410.00"}
    for version in order:
        await schedule(programme, scheduled(programme, course, hours[version], version))
    view = await programme.money("people", person)
    assert view["committed"] == "6150.00"  # 410 h, the latest version, whatever the order
    line = await programme.money("agreements", programme.agreement_id)
    assert line["available"] == "143850.00"


async def test_a_re_schedule_beyond_what_the_line_has_left_is_listed_for_the_operator_and_money_stays_put(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    # 420 h of money: the 400 h committed at the start leave 300.00.
    await programme.agreement([{"rate": "15.00", "quantity": "420.00", "amount": "6300.00"}])
    person = uuid.uuid4()
    await programme.cohort([person])
    await programme.plan("15.00", ["1"])
    await programme.step_started(person)
    course = uuid.uuid4()

    # 440 h would need 600.00 more: refused whole, nothing posted, nothing published, the shortfall listed.
    assert await schedule(programme, scheduled(programme, course, "440.00", 1))
    assert (await programme.money("people", person))["committed"] == "6000.00"
    assert len(await of_type(database_url, COMMITTED)) == 1
    pending = await client.get("/v1/pending-commitments", headers=programme.operator)
    assert pending.status_code == 200, pending.text
    [item] = pending.json()["items"]
    assert (item["beneficiary_id"], item["outcome"], item["amount"]) == (str(person), "unfunded_increase", "600.00")

    # The next version asks 410 h: 150.00 fits, is committed, and the operator's list is clear again.
    assert await schedule(programme, scheduled(programme, course, "410.00", 2))
    assert (await programme.money("people", person))["committed"] == "6150.00"
    pending = await client.get("/v1/pending-commitments", headers=programme.operator)
    assert pending.json()["items"] == []
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_a_person_s_own_course_sets_their_commitment_and_a_withdrawn_person_s_is_left_alone(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    person, gone = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([person, gone])
    await programme.plan("15.00", ["1"])
    # The person's own course is known first: their step start commits its 300 h.
    assert await schedule(programme, scheduled(programme, uuid.uuid4(), "300.00", 1, person=person))
    await programme.step_started(person)
    assert (await programme.money("people", person))["committed"] == "4500.00"
    # Someone withdrawn before the cohort's course is scheduled: nothing is committed for them again.
    await programme.step_started(gone)
    assert await programme.withdraw(gone)
    assert await schedule(programme, scheduled(programme, uuid.uuid4(), "420.00", 1))
    assert (await programme.money("people", gone))["committed"] == "0.00"
    # The person's own course wins over the cohort's.
    assert (await programme.money("people", person))["committed"] == "4500.00"
