"""A cohort's path through enrolment's and training's events: a step's start commits each funder's part, an
attendance sheet consumes, the same sheet again posts nothing, a corrected sheet posts exactly the difference,
and a withdrawal releases what is committed and not consumed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
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
CONSUMED = "fr.hope.funding.consumption.recorded.v1"
RELEASED = "fr.hope.funding.commitment.released.v1"


def sheet(
    programme: Programme, session: uuid.UUID, course: uuid.UUID, marks: dict[uuid.UUID, tuple[str, str]]
) -> training.AttendanceRecorded:
    return training.AttendanceRecorded(
        session_id=session,
        course_id=course,
        step=3,
        cohort_id=programme.cohort_id,
        held_on=date(2026, 3, 2),
        session_hours=Decimal("7.00"),
        session_kind="core",
        entries=tuple(
            training.AttendanceEntry(beneficiary_id=person, status=status, hours_attended=Decimal(hours))
            for person, (status, hours) in marks.items()
        ),
        occurred_at=datetime.now(UTC),
    )


async def test_a_cohort_path_commits_consumes_corrects_and_releases_exactly(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE, LINE])
    alice, bruno = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bruno])
    await programme.plan("15.00", ["0.7", "0.3"])
    first, second = programme.line_ids

    # Step 3 starts: 400 h x 15.00 = 6,000.00 each, 70 % / 30 % between the lines.
    for person in (alice, bruno):
        assert await programme.step_started(person)
    made = await of_type(database_url, COMMITTED)
    assert len(made) == 2
    assert {(part["budget_line_id"], part["amount"]) for part in made[0]["parts"]} == {  # type: ignore[union-attr]
        (first, "4200.00"),
        (second, "1800.00"),
    }
    assert (await programme.money("people", alice))["committed"] == "6000.00"
    # The same step-started again (another event id) commits nothing more.
    await programme.step_started(alice)
    assert len(await of_type(database_url, COMMITTED)) == 2

    # A sheet: Alice present 7 h, Bruno 3 h of 7 unexcused. 105.00 and 45.00.
    session, course = uuid.uuid4(), uuid.uuid4()
    recorded = sheet(programme, session, course, {alice: ("present", "7.00"), bruno: ("unexcused", "3.00")})
    assert await deliver(database, received(recorded, source="/hope/training"))
    [consumed] = await of_type(database_url, CONSUMED)
    amounts = {(e["beneficiary_id"], e["budget_line_id"]): e["amount"] for e in consumed["entries"]}  # type: ignore[union-attr]
    assert amounts == {
        (str(alice), first): "73.50",
        (str(alice), second): "31.50",
        (str(bruno), first): "31.50",
        (str(bruno), second): "13.50",
    }
    cohort = await programme.money("cohorts", programme.cohort_id)
    assert (cohort["committed"], cohort["consumed"]) == ("12000.00", "150.00")

    # The same sheet sent again (a new event id: training resent it): nothing is posted, nothing published.
    again = sheet(programme, session, course, {alice: ("present", "7.00"), bruno: ("unexcused", "3.00")})
    assert await deliver(database, received(again, source="/hope/training"))
    assert len(await of_type(database_url, CONSUMED)) == 1

    # Corrected: Bruno was there all day. Exactly the 60.00 difference is posted.
    corrected = sheet(programme, session, course, {alice: ("present", "7.00"), bruno: ("present", "7.00")})
    assert await deliver(database, received(corrected, source="/hope/training"))
    [_, correction] = await of_type(database_url, CONSUMED)
    assert {(e["beneficiary_id"], e["amount"]) for e in correction["entries"]} == {  # type: ignore[union-attr]
        (str(bruno), "42.00"),
        (str(bruno), "18.00"),
    }
    assert (await programme.money("people", bruno))["consumed"] == "105.00"

    # Alice withdraws: the 5,895.00 committed and not consumed goes back to the lines at once.
    assert await programme.withdraw(alice)
    [released] = await of_type(database_url, RELEASED)
    assert released["total_amount"] == "5895.00"
    view = await programme.money("people", alice)
    assert (view["committed"], view["consumed"], view["released"]) == ("105.00", "105.00", "5895.00")
    agreement = await programme.money("agreements", programme.agreement_id)
    assert agreement["available"] == str(Decimal("300000.00") - Decimal("6000.00") - Decimal("105.00"))
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_a_step_start_without_a_plan_commits_nothing_and_the_cohort_is_listed(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    person = uuid.uuid4()
    await programme.cohort([person])
    assert await programme.step_started(person)
    assert await of_type(database_url, COMMITTED) == []
    listed = await client.get("/v1/cohorts-without-plan?step=3", headers=programme.operator)
    assert listed.json()["cohort_ids"] == [str(programme.cohort_id)]
    await programme.plan("15.00", ["1"])
    listed = await client.get("/v1/cohorts-without-plan?step=3", headers=programme.operator)
    assert listed.json()["cohort_ids"] == []


async def test_a_step_start_beyond_what_the_line_has_left_is_kept_unfunded_listed_and_not_retried(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([{"rate": "15.00", "quantity": "500.00", "amount": "7500.00"}])
    first, second = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([first, second])
    await programme.plan("15.00", ["1"])
    assert await programme.step_started(first)
    assert await programme.step_started(second)  # handled (not an error): 1,500.00 left, 6,000.00 needed
    assert len(await of_type(database_url, COMMITTED)) == 1
    assert (await programme.money("agreements", programme.agreement_id))["available"] == "1500.00"
    pending = (await client.get("/v1/pending-commitments", headers=programme.operator)).json()["items"]
    assert [(p["beneficiary_id"], p["amount"], p["outcome"]) for p in pending] == [(str(second), "6000.00", "unfunded")]


async def test_a_corrected_excused_absence_moves_the_excused_allowance_to_a_later_session(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    # Excused hours are paid up to 1 % of the 400 planned hours: 4 hours per person.
    await programme.agreement([{**LINE, "excused_share": "0.01"}])
    person = uuid.uuid4()
    await programme.cohort([person])
    await programme.plan("15.00", ["1"])
    await programme.step_started(person)
    course, monday, tuesday = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def day(session: uuid.UUID, held_on: date, status: str, hours: str) -> training.AttendanceRecorded:
        return sheet(programme, session, course, {person: (status, hours)}).model_copy(update={"held_on": held_on})

    # Monday: 7 h excused, of which 4 are paid. Tuesday: 3 h excused, nothing left of the allowance.
    await deliver(database, received(day(monday, date(2026, 3, 2), "excused", "0.00"), source="/hope/training"))
    await deliver(database, received(day(tuesday, date(2026, 3, 3), "excused", "4.00"), source="/hope/training"))
    assert (await programme.money("people", person))["consumed"] == "120.00"  # (4 + 4) h x 15.00
    # Monday corrected: present all day. Monday is now paid 7 h, and Tuesday's 3 excused hours fit the allowance.
    await deliver(database, received(day(monday, date(2026, 3, 2), "present", "7.00"), source="/hope/training"))
    correction = (await of_type(database_url, CONSUMED))[-1]
    assert [e["amount"] for e in correction["entries"]] == ["90.00"]  # type: ignore[union-attr]
    assert (await programme.money("people", person))["consumed"] == "210.00"  # (7 + 7) h x 15.00
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_hours_beyond_what_a_line_has_are_left_unposted_for_that_person_and_the_rest_of_the_sheet_is_kept(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    # 6,050.00: Alice's step commits 6,000.00, 50.00 stays available, Bruno's commitment is unfunded.
    await programme.agreement([{"rate": "15.00", "quantity": "500.00", "amount": "6050.00"}])
    alice, bruno = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bruno])
    await programme.plan("15.00", ["1"])
    for person in (alice, bruno):
        await programme.step_started(person)
    session, course = uuid.uuid4(), uuid.uuid4()
    both_present = sheet(programme, session, course, {alice: ("present", "7.00"), bruno: ("present", "7.00")})
    assert await deliver(database, received(both_present, source="/hope/training"))  # handled, not a failure
    [consumed] = await of_type(database_url, CONSUMED)
    assert [(e["beneficiary_id"], e["amount"]) for e in consumed["entries"]] == [(str(alice), "105.00")]  # type: ignore[union-attr]
    assert (await programme.money("people", alice))["consumed"] == "105.00"
    # Bruno's 105.00 did not fit in the 50.00 left; a corrected sheet asking 45.00 for him fits and is posted.
    corrected = sheet(programme, session, course, {alice: ("present", "7.00"), bruno: ("unexcused", "3.00")})
    assert await deliver(database, received(corrected, source="/hope/training"))
    [_, second] = await of_type(database_url, CONSUMED)
    assert [(e["beneficiary_id"], e["amount"]) for e in second["entries"]] == [(str(bruno), "45.00")]  # type: ignore[union-attr]
    assert (await programme.money("agreements", programme.agreement_id))["available"] == "5.00"
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
