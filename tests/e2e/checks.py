"""What the end-to-end stages share: the cohort's figures, and waiting for what services learn from events."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from hope_infra.demo.gateway import PartnerClient, Refused
from hope_infra.demo.waiting import NotYet, eventually

RATE = Decimal("15.00")
FRENCH_SESSIONS, TRADE_SESSIONS = 10, 12
# The agreements are sized on the programme's hours of steps 3 and 4 (what funding commits for a person until
# training schedules their course); once it has, funding commits the course's planned hours instead.
STEP_3_HOURS, STEP_4_HOURS = Decimal(400), Decimal(450)
FRENCH_PLANNED = Decimal(10 * 6)  # FRENCH_SESSIONS of SESSION_HOURS
TRADE_PLANNED = Decimal(12 * 6)


async def until(check: Any, what: str) -> Any:
    """``check()`` until it stops failing an assertion: what services learn from events arrives a little later."""

    async def attempt() -> Any:
        try:
            return await check()
        except AssertionError as failed:
            raise NotYet from failed

    try:
        return await eventually(attempt, what=what, timeout_s=90)
    except TimeoutError:
        return await check()  # the assertion's own message says what is missing


async def status_of(client: PartnerClient, path: str) -> int:
    try:
        await client.get(path)
    except Refused as refused:
        return refused.status
    return 200


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
