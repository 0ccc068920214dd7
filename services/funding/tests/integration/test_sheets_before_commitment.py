"""Training's sheets and enrolment's step start arrive in either order: the step's commitment never reserves what
the step already consumed, a correction gives back to the commitment only what was drawn from it, and a
withdrawal gives back exactly what was committed and not consumed. Both orders end in the same ledger."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver, received
from .support import Programme, kept_and_derived_balances, of_type
from .test_path_through_events import COMMITTED, RELEASED, sheet

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "10000.00", "amount": "150000.00"}
GRANTED = Decimal("300000.00")


async def one_trainee(programme: Programme) -> uuid.UUID:
    """Two lines paying 70 % / 30 % of 15.00 an hour of step 3 for a cohort of one."""
    await programme.agreement([LINE, LINE])
    alice = uuid.uuid4()
    await programme.cohort([alice])
    await programme.plan("15.00", ["0.7", "0.3"])
    return alice


async def assert_money(programme: Programme, person: uuid.UUID, committed: str, consumed: str, used: int) -> None:
    """The person's view (committed counts what was consumed from it) and what the lines have left."""
    view = await programme.money("people", person)
    assert (view["committed"], view["consumed"]) == (committed, consumed)
    assert (await programme.money("agreements", programme.agreement_id))["available"] == str(GRANTED - used)


async def assert_withdrawal_gives_back(
    programme: Programme, person: uuid.UUID, database_url: str, released: str, consumed: str
) -> None:
    """Withdrawn: exactly what is committed and not consumed goes back, and the ledger stays balanced."""
    assert await programme.withdraw(person)
    [event] = await of_type(database_url, RELEASED)
    assert event["total_amount"] == released
    view = await programme.money("people", person)
    assert (view["consumed"], view["released"]) == (consumed, released)
    await assert_money(programme, person, consumed, consumed, int(Decimal(consumed)))
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


@pytest.mark.parametrize("sheet_first", [True, False], ids=["sheet-then-step", "step-then-sheet"])
async def test_a_step_commitment_holds_its_planned_cost_less_what_was_consumed_in_either_order(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str, sheet_first: bool
) -> None:
    programme = Programme(client, issuer, database)
    alice = await one_trainee(programme)
    session, course = uuid.uuid4(), uuid.uuid4()
    present = sheet(programme, session, course, {alice: ("present", "7.00")})  # 105.00: 73.50 + 31.50

    if sheet_first:
        assert await deliver(database, received(present, source="/hope/training"))
        assert await programme.step_started(alice)
        [made] = await of_type(database_url, COMMITTED)
        # 400 h x 15.00 = 6,000.00, less the 105.00 the sheet already consumed.
        assert made["total_amount"] == "5895.00"
        assert {p["budget_line_id"]: p["amount"] for p in made["parts"]} == {  # type: ignore[union-attr]
            programme.line_ids[0]: "4126.50",
            programme.line_ids[1]: "1768.50",
        }
    else:
        assert await programme.step_started(alice)
        assert await deliver(database, received(present, source="/hope/training"))
    # Either way the lines hold the step's 6,000.00 for Alice and not a cent more.
    await assert_money(programme, alice, "6000.00", "105.00", 6000)

    # Corrected down to 3 h: 60.00 given back, to her commitment (it stands for the step's whole cost).
    corrected = sheet(programme, session, course, {alice: ("unexcused", "3.00")})
    assert await deliver(database, received(corrected, source="/hope/training"))
    await assert_money(programme, alice, "6000.00", "45.00", 6000)
    await assert_withdrawal_gives_back(programme, alice, database_url, "5955.00", "45.00")


async def test_a_correction_before_the_commitment_gives_back_to_the_line_not_to_a_commitment(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    """A sheet consumed from the line before any commitment, then corrected down: the difference goes back to
    the line. The commitment made afterwards reserves the planned cost less what stays consumed, so nothing is
    over-reserved and the withdrawal gives back no more than was committed and not consumed."""
    programme = Programme(client, issuer, database)
    alice = await one_trainee(programme)
    session, course = uuid.uuid4(), uuid.uuid4()
    assert await deliver(
        database, received(sheet(programme, session, course, {alice: ("present", "7.00")}), source="/hope/training")
    )
    assert await deliver(
        database, received(sheet(programme, session, course, {alice: ("excused", "3.00")}), source="/hope/training")
    )
    # Nothing committed yet: the 60.00 given back did not become a commitment of Alice's.
    await assert_money(programme, alice, "45.00", "45.00", 45)

    assert await programme.step_started(alice)
    [made] = await of_type(database_url, COMMITTED)
    assert made["total_amount"] == "5955.00"
    await assert_money(programme, alice, "6000.00", "45.00", 6000)
    await assert_withdrawal_gives_back(programme, alice, database_url, "5955.00", "45.00")
