"""/v1/dropout-risks on SQLite and PostgreSQL: a support provider's own people whose signals add up, ids and
reasons only, each read audited; nobody else gets a person-level list."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from reporting_service.adapters.tables import (
    fact_absence_alerts,
    fact_attendance_months,
    fact_cohorts,
    fact_housing,
    fact_needs,
    fact_people,
    kit,
)

from .support import assert_problem

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


async def _seed(database: Database, supporter: uuid.UUID, other: uuid.UUID) -> dict[str, uuid.UUID]:
    people = {
        name: uuid.uuid4() for name in ("alert_and_need", "alert_only", "housing_and_falling", "elsewhere", "left")
    }
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    rows: dict[Any, list[dict[str, Any]]] = {
        fact_cohorts: [
            {"version": 1, "cohort_id": mine, "support_provider_org_id": supporter, "region": "84"},
            {"version": 1, "cohort_id": theirs, "support_provider_org_id": other, "region": "84"},
        ],
        fact_people: [
            {
                "version": 1,
                "beneficiary_id": person,
                "cohort_id": theirs if name == "elsewhere" else mine,
                "status": "withdrawn" if name == "left" else "french_qualification",
            }
            for name, person in people.items()
        ],
        fact_absence_alerts: [
            {
                "version": 1,
                "alert_id": uuid.uuid4(),
                "beneficiary_id": people[name],
                "course_id": uuid.uuid4(),
                "step": 3,
                "rule": "consecutive_unexcused",
                "raised_at": _at(TODAY - timedelta(days=2)),
            }
            for name in ("alert_and_need", "alert_only", "elsewhere", "left")
        ],
        fact_needs: [
            {
                "version": 1,
                "need_id": uuid.uuid4(),
                "beneficiary_id": people[name],
                "category": "administrative",
                "opened_at": _at(TODAY - timedelta(days=45)),
            }
            for name in ("alert_and_need", "elsewhere", "left")
        ]
        + [  # a recent one is not overdue
            {
                "version": 1,
                "need_id": uuid.uuid4(),
                "beneficiary_id": people["alert_only"],
                "category": "administrative",
                "opened_at": _at(TODAY - timedelta(days=3)),
            }
        ],
        fact_housing: [
            {
                "version": 1,
                "placement_id": uuid.uuid4(),
                "beneficiary_id": people["housing_and_falling"],
                "starts_on": TODAY - timedelta(days=20),
                "ends_on": TODAY + timedelta(days=3),
            }
        ],
        fact_attendance_months: [
            {
                "version": 1,
                "beneficiary_id": people["housing_and_falling"],
                "step": 3,
                "month": first,
                "hours_recorded": Decimal("70.00"),
                "hours_attended": Decimal(attended),
            }
            for first, attended in _months(["63.00", "63.00", "63.00", "35.00"])
        ],
    }
    async with database.engine.begin() as connection:
        for table, values in rows.items():
            await connection.execute(insert(table), values)
    return people


def _months(attended: list[str]) -> list[tuple[date, str]]:
    firsts, day = [], TODAY.replace(day=1)
    for _ in attended:
        firsts.insert(0, day)
        day = (day - timedelta(days=1)).replace(day=1)
    return list(zip(firsts, attended, strict=True))


async def test_a_support_provider_lists_its_own_people_whose_signals_add_up_with_their_reasons(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    supporter, other = uuid.uuid4(), uuid.uuid4()
    people = await _seed(database, supporter, other)
    headers = issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.READER, org_id=supporter)
    listed = await client.get("/v1/dropout-risks", headers=headers)
    assert listed.status_code == 200, listed.text
    found = {item["id"]: item["reasons"] for item in listed.json()["items"]}
    assert found == {
        str(people["alert_and_need"]): ["open_absence_alert", "administrative_need_overdue"],
        str(people["housing_and_falling"]): ["falling_attendance", "no_housing_next_week"],
    }
    assert all(set(item) == {"id", "reasons"} for item in listed.json()["items"]), "ids and reasons only"
    one = await client.get("/v1/dropout-risks", params={"min_signals": 1, "limit": 2}, headers=headers)
    page = one.json()
    assert len(page["items"]) == 2
    rest = await client.get(
        "/v1/dropout-risks", params={"min_signals": 1, "cursor": page["next_cursor"]}, headers=headers
    )
    ids = {item["id"] for item in page["items"] + rest.json()["items"]}
    assert ids == {str(people[name]) for name in ("alert_and_need", "alert_only", "housing_and_falling")}
    async with database.engine.connect() as connection:
        audited = (await connection.execute(select(kit.audit.c.object_type, kit.audit.c.actor_org_id))).all()
    assert audited == [("dropout_risk_list", supporter)] * 3


async def test_nobody_but_a_support_provider_reading_gets_the_person_level_list(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    for kind, role in [
        (OrgKind.SUPPORT_PROVIDER, Role.REPORTING),
        (OrgKind.TRAINING_PROVIDER, Role.READER),
        (OrgKind.PROGRAMME_OPERATOR, Role.ADMIN),
    ]:
        assert_problem(await client.get("/v1/dropout-risks", headers=issuer.headers(kind, role)), 403)
    headers = issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.READER)
    assert_problem(await client.get("/v1/dropout-risks?min_signals=9", headers=headers), 422, "validation")
    assert_problem(await client.get("/v1/dropout-risks?cursor=forged", headers=headers), 400, "invalid-cursor")
