"""The pathway, cohorts and who may see whom, over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hope_contracts import training
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import Partners, deliver, received

pytestmark = pytest.mark.integration

OFII = uuid.uuid4()
AKTO = uuid.uuid4()
SCHOOL = uuid.uuid4()
OTHER_SCHOOL = uuid.uuid4()
AFPA = uuid.uuid4()


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    """The organisations the gateway registered, as enrolment learnt them from its events."""
    await partners_of(
        {SCHOOL: OrgKind.TRAINING_PROVIDER, OTHER_SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER}
    )


def as_(issuer: TokenIssuer, kind: OrgKind, org: uuid.UUID, *roles: Role) -> dict[str, str]:
    return issuer.headers(kind, *(roles or (Role.WRITER,)), org_id=org)


async def registered(client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, **fields: Any) -> str:
    response = await client.post(
        "/v1/beneficiaries", json=registration(**fields), headers=as_(issuer, OrgKind.IMMIGRATION_OFFICE, OFII)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def ready_for_cohort(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any
) -> str:
    person = await registered(client, issuer, registration)
    validated = await client.post(
        f"/v1/beneficiaries/{person}/pathway/prerequisites",
        json=prerequisites(),
        headers=as_(issuer, OrgKind.IMMIGRATION_OFFICE, OFII),
    )
    assert validated.status_code == 200, validated.text
    assert validated.json()["pathway"]["status"] == "pre_orientation"
    sector = await client.put(
        f"/v1/beneficiaries/{person}/pathway/sector",
        json={"sector_code": "logistics"},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )
    assert sector.status_code == 200, sector.text
    return person


async def cohort(client: httpx.AsyncClient, issuer: TokenIssuer, capacity: int = 2) -> str:
    response = await client.post(
        "/v1/cohorts",
        json={
            "name": "Logistique Lyon 2027",
            "sector_code": "logistics",
            "region": "76",
            "training_provider_org_id": str(SCHOOL),
            "support_provider_org_id": str(AFPA),
            "capacity": capacity,
            "french_qualification_starts_on": "2026-01-12",
            "trade_qualification_starts_on": "2026-04-13",
        },
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def french_course_completed(person: str) -> training.CourseCompleted:
    return training.CourseCompleted(
        course_id=uuid.uuid4(),
        beneficiary_id=uuid.UUID(person),
        step=3,
        planned_hours=Decimal("400.00"),
        attended_hours=Decimal("400.00"),
        hours_waived=False,
        occurred_at=datetime.now(UTC),
    )


async def test_a_full_path_from_registration_to_completion(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    person = await ready_for_cohort(client, issuer, registration, prerequisites)
    group = await cohort(client, issuer)
    akto = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)
    school = as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL)

    added = await client.post(f"/v1/cohorts/{group}/members", json={"beneficiary_id": person}, headers=akto)
    assert added.status_code == 200, added.text
    assert added.json()["member_count"] == 1

    steps = [
        (akto, "start_french_qualification", "french_qualification"),
        (school, "start_trade_qualification", "trade_qualification"),
        (school, "complete", "completed"),
    ]
    for headers, action, expected in steps:
        if action == "start_trade_qualification":  # training reports step 3's hours done
            assert await deliver(database, received(french_course_completed(person))) is True
        response = await client.post(
            f"/v1/beneficiaries/{person}/pathway/transitions", json={"action": action}, headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["pathway"]["status"] == expected

    final = (await client.get(f"/v1/beneficiaries/{person}", headers=akto)).json()
    assert [entry["to_status"] for entry in final["pathway"]["history"]] == [
        "registered",
        "pre_orientation",
        "french_qualification",
        "trade_qualification",
        "completed",
    ]
    assert final["pathway"]["allowed_actions"] == []


async def test_an_illegal_transition_is_409_naming_the_allowed_actions(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any
) -> None:
    person = await registered(client, issuer, registration)

    response = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "complete"},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )

    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "urn:hope:problem:illegal-transition"
    assert problem["current_status"] == "registered"
    assert "start_prerequisites" in problem["allowed_actions"]


async def test_cohort_refuses_people_beyond_capacity_or_not_past_step_two(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any
) -> None:
    group = await cohort(client, issuer, capacity=1)
    akto = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)
    first = await ready_for_cohort(client, issuer, registration, prerequisites)
    second = await ready_for_cohort(client, issuer, registration, prerequisites)
    too_early = await registered(client, issuer, registration)

    assert (
        await client.post(f"/v1/cohorts/{group}/members", json={"beneficiary_id": first}, headers=akto)
    ).status_code == 200
    full = await client.post(f"/v1/cohorts/{group}/members", json={"beneficiary_id": second}, headers=akto)
    early = await client.post(f"/v1/cohorts/{group}/members", json={"beneficiary_id": too_early}, headers=akto)

    assert full.status_code == 409
    assert full.json()["type"] == "urn:hope:problem:cohort-full"
    assert early.status_code == 409
    assert early.json()["type"] == "urn:hope:problem:not-eligible-for-cohort"


async def test_training_provider_sees_only_its_cohorts_people_and_only_the_fields_it_needs(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any
) -> None:
    member = await ready_for_cohort(client, issuer, registration, prerequisites)
    outsider = await registered(client, issuer, registration)
    group = await cohort(client, issuer)
    akto = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)
    await client.post(f"/v1/cohorts/{group}/members", json={"beneficiary_id": member}, headers=akto)
    school = as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL, Role.READER)
    other_school = as_(issuer, OrgKind.TRAINING_PROVIDER, OTHER_SCHOOL, Role.READER)

    listed = (await client.get("/v1/beneficiaries", headers=school)).json()
    seen = await client.get(f"/v1/beneficiaries/{member}", headers=school)
    hidden = await client.get(f"/v1/beneficiaries/{outsider}", headers=school)
    foreign = await client.get(f"/v1/beneficiaries/{member}", headers=other_school)
    foreign_write = await client.post(
        f"/v1/beneficiaries/{member}/pathway/transitions",
        json={"action": "complete"},
        headers=as_(issuer, OrgKind.TRAINING_PROVIDER, OTHER_SCHOOL),
    )

    assert [item["id"] for item in listed["items"]] == [member]
    assert seen.status_code == 200
    assert seen.json()["view"] == "reduced"
    assert seen.json()["given_name"] == "Amina"
    assert seen.json()["phone"] is None
    assert seen.json()["ofii_number"] is None
    assert seen.json()["birth_date"] is None
    assert hidden.status_code == 404
    assert foreign.status_code == 404
    assert foreign_write.status_code == 404


async def test_roles_are_enforced(client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any) -> None:
    reader = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.READER, org_id=OFII)
    reporting = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.REPORTING, org_id=AKTO)
    employer = issuer.headers(OrgKind.EMPLOYER, Role.ADMIN)
    person = await registered(client, issuer, registration)

    assert (await client.post("/v1/beneficiaries", json=registration(), headers=reader)).status_code == 403
    assert (await client.post("/v1/beneficiaries", json=registration(), headers=employer)).status_code == 403
    assert (await client.get(f"/v1/beneficiaries/{person}", headers=reporting)).status_code == 404
    assert (await client.get("/v1/beneficiaries", headers=employer)).status_code == 403


async def test_erasure_removes_identity_keeps_the_path_and_is_admin_only(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any
) -> None:
    person = await registered(client, issuer, registration)
    writer = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)
    admin = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN)

    refused = await client.post(f"/v1/beneficiaries/{person}/erasure", headers=writer)
    erased = await client.post(f"/v1/beneficiaries/{person}/erasure", headers=admin)
    after = (await client.get(f"/v1/beneficiaries/{person}", headers=admin)).json()

    assert refused.status_code == 403
    assert erased.status_code == 200
    assert after["erased"] is True
    assert after["given_name"] is None
    assert after["ofii_number"] is None
    assert after["email"] is None
    assert after["protection_status"] is None
    assert after["pathway"]["history"][0]["to_status"] == "registered"


async def test_erasure_forgets_the_registration_answer_kept_for_idempotent_replays(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database: Database
) -> None:
    # The answer to a registration is kept so that a retry with the same Idempotency-Key gets it again; it names
    # the person, so erasure must not leave it behind.
    office = as_(issuer, OrgKind.IMMIGRATION_OFFICE, OFII) | {"Idempotency-Key": f"register-{uuid.uuid4()}"}
    given = registration(given_name="Zainab-Erasable")
    created = await client.post("/v1/beneficiaries", json=given, headers=office)
    assert created.status_code == 201, created.text
    person = created.json()["id"]
    keys = database.tables.idempotency

    async def answers_naming_the_person() -> int:
        async with database.engine.connect() as connection:
            rows = (await connection.execute(select(keys.c.response))).scalars().all()
        return sum("Zainab-Erasable" in json.dumps(row) for row in rows if row is not None)

    assert await answers_naming_the_person() == 1
    admin = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN)
    assert (await client.post(f"/v1/beneficiaries/{person}/erasure", headers=admin)).status_code == 200

    assert await answers_naming_the_person() == 0
