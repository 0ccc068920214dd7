"""A cohort's calendar over HTTP: given at creation, replaced by the programme operator, published whole, and
the rule that step 4 never starts before its planned start read from it. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from enrolment_service.adapters.tables import kit
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import outbox_events
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import Partners, deliver, received
from .test_step_four_api import AFPA, AKTO, SCHOOL, TODAY, as_, course_completed, in_step_3, start_step_4

pytestmark = pytest.mark.integration

CREATED = "fr.hope.enrolment.cohort.created.v1"
CHANGED = "fr.hope.enrolment.cohort.calendar_changed.v1"
STEP_3 = TODAY + timedelta(days=7)
STEP_3_LAST_DAY = STEP_3 + timedelta(days=83)
STEP_4 = STEP_3_LAST_DAY + timedelta(days=3)


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


def operator(issuer: TokenIssuer) -> dict[str, str]:
    return as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)


async def a_cohort(client: httpx.AsyncClient, issuer: TokenIssuer, **calendar: str) -> dict[str, Any]:
    body = {
        "name": "HOPE Rouen logistique",
        "sector_code": "logistics",
        "region": "28",
        "training_provider_org_id": str(SCHOOL),
        "support_provider_org_id": str(AFPA),
        "capacity": 12,
        **calendar,
    }
    created = await client.post("/v1/cohorts", json=body, headers=operator(issuer))
    assert created.status_code == 201, created.text
    return dict(created.json())


FULL = {
    "french_qualification_starts_on": STEP_3.isoformat(),
    "french_qualification_ends_on": STEP_3_LAST_DAY.isoformat(),
    "trade_qualification_starts_on": STEP_4.isoformat(),
}


async def test_a_cohort_is_created_with_its_calendar_and_publishes_it(
    client: httpx.AsyncClient, issuer: TokenIssuer, database_url: str
) -> None:
    cohort = await a_cohort(client, issuer, **FULL)

    assert {key: cohort[key] for key in (*FULL, "trade_qualification_ends_on")} == {
        **FULL,
        "trade_qualification_ends_on": None,
    }
    (created,) = [e for e in await outbox_events(database_url, kit, CREATED) if e["cohort_id"] == cohort["id"]]
    assert created["calendar"] == [
        {"step": 3, "starts_on": STEP_3.isoformat(), "ends_on": STEP_3_LAST_DAY.isoformat()},
        {"step": 4, "starts_on": STEP_4.isoformat(), "ends_on": None},
    ]


async def test_the_operator_changes_the_calendar_once_and_partners_hear_it_whole(
    client: httpx.AsyncClient, issuer: TokenIssuer, database_url: str, database: Database
) -> None:
    cohort = await a_cohort(client, issuer, french_qualification_starts_on=STEP_3.isoformat())
    path = f"/v1/cohorts/{cohort['id']}/calendar"
    later = {**FULL, "trade_qualification_ends_on": (STEP_4 + timedelta(days=300)).isoformat()}

    first = await client.put(path, json=later, headers=operator(issuer))
    again = await client.put(path, json=later, headers=operator(issuer))

    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == again.json()
    assert first.json()["trade_qualification_ends_on"] == later["trade_qualification_ends_on"]
    assert (await client.get(f"/v1/cohorts/{cohort['id']}", headers=operator(issuer))).json() == first.json()
    changes = [e for e in await outbox_events(database_url, kit, CHANGED) if e["cohort_id"] == cohort["id"]]
    assert [change["calendar"] for change in changes] == [
        [
            {"step": 3, "starts_on": STEP_3.isoformat(), "ends_on": STEP_3_LAST_DAY.isoformat()},
            {"step": 4, "starts_on": STEP_4.isoformat(), "ends_on": later["trade_qualification_ends_on"]},
        ]
    ]
    async with database.engine.connect() as connection:
        audited = await connection.scalars(select(kit.audit.c.object_id).where(kit.audit.c.action == "change_calendar"))
        assert list(audited) == [cohort["id"]]

    # A step left out is no longer planned.
    only_step_3 = await client.put(
        path, json={"french_qualification_starts_on": STEP_3.isoformat()}, headers=operator(issuer)
    )
    assert only_step_3.json()["trade_qualification_starts_on"] is None


async def test_only_the_operator_writes_a_calendar_and_every_wrong_field_is_named_at_once(
    client: httpx.AsyncClient, issuer: TokenIssuer, database_url: str
) -> None:
    cohort = await a_cohort(client, issuer, **FULL)
    path = f"/v1/cohorts/{cohort['id']}/calendar"

    school = await client.put(path, json=FULL, headers=as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL))
    reader = await client.put(path, json=FULL, headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.READER))
    missing = await client.put(f"/v1/cohorts/{uuid.uuid4()}/calendar", json=FULL, headers=operator(issuer))
    wrong = await client.put(
        path,
        json={
            "french_qualification_starts_on": STEP_3.isoformat(),
            "french_qualification_ends_on": (STEP_3 - timedelta(days=1)).isoformat(),
            "trade_qualification_starts_on": (STEP_3 - timedelta(days=2)).isoformat(),
            "trade_qualification_ends_on": (STEP_3 - timedelta(days=3)).isoformat(),
        },
        headers=operator(issuer),
    )

    assert (school.status_code, reader.status_code, missing.status_code) == (403, 403, 404)
    assert wrong.status_code == 422, wrong.text
    assert wrong.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in wrong.json()["errors"]] == [
        "french_qualification_ends_on",
        "trade_qualification_ends_on",
        "trade_qualification_starts_on",
    ]
    assert [e for e in await outbox_events(database_url, kit, CHANGED) if e["cohort_id"] == cohort["id"]] == []


async def test_step_4_waits_for_the_start_the_calendar_now_plans(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    person, cohort = await in_step_3(client, issuer, registration, prerequisites)
    await deliver(database, received(course_completed(person)))
    moved = TODAY + timedelta(days=14)
    changed = await client.put(
        f"/v1/cohorts/{cohort}/calendar",
        json={
            "french_qualification_starts_on": (TODAY - timedelta(days=120)).isoformat(),
            "trade_qualification_starts_on": moved.isoformat(),
        },
        headers=operator(issuer),
    )
    assert changed.status_code == 200, changed.text

    early = await start_step_4(client, person, as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL))

    assert early.status_code == 409, early.text
    assert early.json()["step_4_starts_on"] == moved.isoformat()
