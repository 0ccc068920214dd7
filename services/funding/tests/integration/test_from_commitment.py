"""Funding's consumption and support-cost events say how much of each amount was drawn from the person's commitment
(``from_commitment``), as the ledger posted it: within the commitment, beyond it, partly both, a correction giving
back, and support's costs (drawn only from a commitment by hand)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import httpx
import pytest

from hopekit.events.cloudevent import ReceivedEvent
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver, received
from .support import Programme, kept_and_derived_balances, of_type
from .test_course_plans import schedule, scheduled
from .test_path_through_events import CONSUMED, sheet
from .test_support_costs import LINES, RECORDED, deliver_support, stay, support_plans

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "10000.00", "amount": "150000.00"}


async def drawn(database_url: str, event_type: str = CONSUMED) -> list[list[tuple[str, str]]]:
    """Per event published, its entries' (amount, from_commitment)."""
    return [
        [(entry["amount"], entry["from_commitment"]) for entry in event["entries"]]  # type: ignore[attr-defined]
        for event in await of_type(database_url, event_type)
    ]


async def test_consumption_says_what_it_drew_from_the_commitment_and_what_a_correction_gave_back(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    alice, bruno = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bruno])
    await programme.plan("15.00", ["1"])
    course, monday, tuesday = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    # The course plans 10 h: Alice's step commits 150.00; Bruno's step has not started (nothing committed).
    assert await schedule(programme, scheduled(programme, course, "10.00", 1))
    assert await programme.step_started(alice)

    def day(session: uuid.UUID, held_on: date, marks: dict[uuid.UUID, tuple[str, str]]) -> ReceivedEvent:
        return received(
            sheet(programme, session, course, marks).model_copy(update={"held_on": held_on}), source="/hope/training"
        )

    # Monday, 7 h each (105.00): Alice's within her commitment, Bruno's all beyond (he has none).
    assert await deliver(database, day(monday, date(2026, 3, 2), {alice: ("present", "7.00")}))
    assert await deliver(
        database, day(monday, date(2026, 3, 2), {alice: ("present", "7.00"), bruno: ("present", "7.00")})
    )
    assert await drawn(database_url) == [[("105.00", "105.00")], [("105.00", "0.00")]]
    # Tuesday, 7 h: the 45.00 left of Alice's commitment, then 60.00 from the line.
    assert await deliver(database, day(tuesday, date(2026, 3, 3), {alice: ("present", "7.00")}))
    assert (await drawn(database_url))[-1] == [("105.00", "45.00")]
    # Tuesday corrected to nothing: 45.00 back to her commitment, the 60.00 beyond it back to the line.
    assert await deliver(database, day(tuesday, date(2026, 3, 3), {alice: ("unexcused", "0.00")}))
    assert (await drawn(database_url))[-1] == [("-105.00", "-45.00")]
    # Monday corrected to 3 h: 60.00 back, all of it to her commitment (it was drawn from it).
    assert await deliver(
        database, day(monday, date(2026, 3, 2), {alice: ("unexcused", "3.00"), bruno: ("present", "7.00")})
    )
    assert (await drawn(database_url))[-1] == [("-60.00", "-60.00")]

    # What the events say was drawn is what her commitment holds: 150.00 less the 45.00 consumed from it.
    alice_drawn = sum(
        Decimal(entry["from_commitment"])
        for event in await of_type(database_url, CONSUMED)
        for entry in event["entries"]  # type: ignore[attr-defined]
        if entry["beneficiary_id"] == str(alice)
    )
    assert alice_drawn == Decimal("45.00")
    view = await programme.money("people", alice)
    assert (view["committed"], view["consumed"]) == ("150.00", "45.00")
    assert (await programme.money("agreements", programme.agreement_id))["available"] == "149745.00"  # 150 + 105
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_support_costs_say_what_they_drew_from_a_commitment_by_hand_and_nothing_without_one(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice, bruno = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bruno])
    await support_plans(programme, programme.line_ids)
    housing = programme.line_ids[0]
    # An individual path: 4 nights (120.00) reserved by hand for Alice on the housing line.
    await programme.post("/v1/commitments", {"beneficiary_id": str(alice), "budget_line_id": housing, "quantity": "4"})

    # 6 nights from 30 January (180.00): January's 2 nights (60.00) and 60.00 of February's from the commitment.
    assert await deliver_support(database, stay(alice, date(2026, 1, 30), date(2026, 2, 5)))
    assert await drawn(database_url, RECORDED) == [[("60.00", "60.00"), ("120.00", "60.00")]]
    # Bruno has no commitment: nothing drawn from one.
    assert await deliver_support(database, stay(bruno, date(2026, 2, 2), date(2026, 2, 4)))
    assert (await drawn(database_url, RECORDED))[-1] == [("60.00", "0.00")]
    view = await programme.money("people", alice)
    assert (view["committed"], view["consumed"]) == ("180.00", "180.00")
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
