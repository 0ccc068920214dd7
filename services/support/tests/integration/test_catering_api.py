"""Catering on SQLite and PostgreSQL: a month's meals owed (lunch on days present, full board on nights housed)
against meals served; a re-import from the same source replaces its counts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from hope_contracts import training
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme, assert_problem
from .test_training_events import from_training

pytestmark = pytest.mark.integration


async def test_the_reconciliation_compares_meals_owed_for_days_present_with_meals_served(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    org = uuid.uuid4()
    person, _ = await programme.person_in_step_3(org)
    for day in (2, 3, 4):  # present three days of March, absent (0 hours) on the 5th
        await from_training(
            database,
            training.AttendanceRecorded(
                session_id=uuid.uuid4(),
                course_id=uuid.uuid4(),
                step=3,
                held_on=date(2026, 3, day),
                session_hours=Decimal("7.00"),
                session_kind="core",
                entries=(
                    training.AttendanceEntry(beneficiary_id=person, status="present", hours_attended=Decimal("7")),
                ),
                occurred_at=datetime.now(UTC),
            ),
        )
    writer = programme.support(org)
    rows = [{"beneficiary_id": str(person), "served_on": f"2026-03-0{d}", "meal": "lunch", "count": 1} for d in (2, 3)]
    for _ in range(2):  # the same import twice: replaced, not added
        recorded = await client.post("/v1/meals-served", json={"source": "canteen-a", "rows": rows}, headers=writer)
        assert recorded.status_code == 201, recorded.text

    answer = await client.get(
        f"/v1/catering/reconciliation?beneficiary_id={person}&month=2026-03",
        headers=programme.support(org, Role.READER),
    )
    assert answer.status_code == 200, answer.text
    lines = {line["meal"]: (line["owed"], line["served"], line["difference"]) for line in answer.json()["lines"]}
    assert lines == {"breakfast": (0, 0, 0), "lunch": (3, 2, -1), "dinner": (0, 0, 0)}
    assert answer.json()["balanced"] is False

    operator = programme.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    url = f"/v1/catering/reconciliation?beneficiary_id={person}&month=2026-03"
    assert (await client.get(url, headers=operator)).status_code == 200
    assert_problem(await client.get(url, headers=programme.support(uuid.uuid4(), Role.READER)), 404)
    assert_problem(await client.get(url.replace("2026-03", "2026-13"), headers=operator), 422, "validation")
    stranger = await client.post(
        "/v1/meals-served", json={"source": "x", "rows": rows}, headers=programme.support(uuid.uuid4())
    )
    assert_problem(stranger, 403)
