"""Step 4 over HTTP: it waits for training's course-completed (step 3's hours), or an operator admin's waiver,
and for the cohort's step-4 start date (issue 12, item 5). On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from enrolment_service.adapters.tables import kit
from hope_contracts import training
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import Partners, deliver, received

pytestmark = pytest.mark.integration

OFII, AKTO, SCHOOL, AFPA = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    """The cohorts' providers, as enrolment learnt them from the gateway's events."""
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


TODAY = datetime.now(UTC).date()


def as_(issuer: TokenIssuer, kind: OrgKind, org: uuid.UUID, *roles: Role) -> dict[str, str]:
    return issuer.headers(kind, *(roles or (Role.WRITER,)), org_id=org)


async def in_step_3(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    step_4_starts_on: date | None = TODAY - timedelta(days=1),
) -> tuple[str, str]:
    """A person in step 3 with a cohort whose step 4 starts on the date given; (person, cohort)."""
    akto = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)
    ofii = as_(issuer, OrgKind.IMMIGRATION_OFFICE, OFII)
    person = (await client.post("/v1/beneficiaries", json=registration(), headers=ofii)).json()["id"]
    path = f"/v1/beneficiaries/{person}/pathway"
    validated = await client.post(f"{path}/prerequisites", json=prerequisites(), headers=ofii)
    assert validated.status_code == 200, validated.text
    chosen = await client.put(f"{path}/sector", json={"sector_code": "logistics"}, headers=akto)
    assert chosen.status_code == 200, chosen.text
    body: dict[str, Any] = {
        "name": "Logistique Rouen",
        "sector_code": "logistics",
        "region": "28",
        "training_provider_org_id": str(SCHOOL),
        "support_provider_org_id": str(AFPA),
        "capacity": 10,
        "french_qualification_starts_on": (TODAY - timedelta(days=120)).isoformat(),
    }
    if step_4_starts_on is not None:
        body["trade_qualification_starts_on"] = step_4_starts_on.isoformat()
    created = await client.post("/v1/cohorts", json=body, headers=akto)
    assert created.status_code == 201, created.text
    cohort = created.json()["id"]
    added = await client.post(f"/v1/cohorts/{cohort}/members", json={"beneficiary_id": person}, headers=akto)
    assert added.status_code == 200, added.text
    started = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions", json={"action": "start_french_qualification"}, headers=akto
    )
    assert started.status_code == 200, started.text
    return person, cohort


def course_completed(person: str, step: int = 3, attended: str = "400.00") -> training.CourseCompleted:
    return training.CourseCompleted(
        course_id=uuid.uuid4(),
        beneficiary_id=uuid.UUID(person),
        step=step,
        cohort_id=None,
        planned_hours=Decimal("400.00"),
        attended_hours=Decimal(attended),
        hours_waived=False,
        occurred_at=datetime.now(UTC),
    )


async def start_step_4(client: httpx.AsyncClient, person: str, headers: dict[str, str], **extra: Any) -> httpx.Response:
    return await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "start_trade_qualification", **extra},
        headers=headers,
    )


async def test_step_4_waits_for_training_to_report_step_3_hours_done(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    person, _ = await in_step_3(client, issuer, registration, prerequisites)
    school = as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL)

    early = await start_step_4(client, person, school)
    assert early.status_code == 409, early.text
    assert early.headers["content-type"].startswith("application/problem+json")
    assert early.json()["type"] == "urn:hope:problem:step-not-ready"
    assert early.json()["unmet"] == ["step_3_hours_not_done"]

    # 15.5 of 400 hours is not a completion that counts; nor is a step-4 course; redelivery changes nothing.
    assert await deliver(database, received(course_completed(person, attended="15.50"))) is True
    assert await deliver(database, received(course_completed(person, step=4))) is True
    assert (await start_step_4(client, person, school)).status_code == 409

    done = received(course_completed(person))
    assert await deliver(database, done) is True
    assert await deliver(database, done) is False
    started = await start_step_4(client, person, school)
    assert started.status_code == 200, started.text
    assert started.json()["pathway"]["status"] == "trade_qualification"
    assert started.json()["pathway"]["french_hours_done_at"] is not None


async def test_only_an_operator_admin_waives_step_3_hours_and_the_reason_stays_in_the_history(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    person, _ = await in_step_3(client, issuer, registration, prerequisites)
    reason = {"hours_waiver_reason": "B1 attested by DELF before the course"}

    school = await start_step_4(client, person, as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL), **reason)
    assert school.status_code == 403, school.text
    writer = await start_step_4(client, person, as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO), **reason)
    assert writer.status_code == 403, writer.text
    empty = await start_step_4(
        client, person, as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN), hours_waiver_reason="   "
    )
    assert empty.status_code == 422, empty.text
    elsewhere = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "put_on_hold", **reason},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN),
    )
    assert elsewhere.status_code == 422, elsewhere.text

    waived = await start_step_4(client, person, as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN), **reason)
    assert waived.status_code == 200, waived.text
    last = waived.json()["pathway"]["history"][-1]
    assert (last["to_status"], last["reason_code"]) == ("trade_qualification", "step_3_hours_waived")
    assert last["waiver_reason"] == "B1 attested by DELF before the course"

    async with database.engine.connect() as connection:
        payloads = list(await connection.scalars(select(kit.outbox.c.payload)))
    assert not any(b"DELF before" in payload for payload in payloads)


async def test_step_4_never_starts_before_the_cohort_step_4_start_date_even_with_a_waiver(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    starts_on = TODAY + timedelta(days=30)
    person, _ = await in_step_3(client, issuer, registration, prerequisites, step_4_starts_on=starts_on)
    await deliver(database, received(course_completed(person)))

    early = await start_step_4(client, person, as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL))
    assert early.status_code == 409, early.text
    assert early.json()["unmet"] == ["before_cohort_step_4_start"]
    assert early.json()["step_4_starts_on"] == starts_on.isoformat()
    waived = await start_step_4(
        client, person, as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN), hours_waiver_reason="prior B1"
    )
    assert waived.status_code == 409, waived.text


async def test_a_course_completion_for_an_unknown_person_is_consumed_and_changes_nothing(
    database: Database,
) -> None:
    assert await deliver(database, received(course_completed(str(uuid.uuid4())))) is True
    async with database.engine.connect() as connection:
        # Only this consumer's row: the partner projection's own rows (the seeded providers) are beside it.
        inbox = kit.inbox
        progress = inbox.c.consumer == "enrolment.training-progress"
        assert await connection.scalar(select(func.count()).select_from(inbox).where(progress)) == 1
