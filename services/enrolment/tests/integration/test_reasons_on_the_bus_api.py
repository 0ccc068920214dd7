"""A health reason never leaves enrolment (DESIGN.md §5, issue 13 §4): events and reduced views say "personal";
the operator's full view keeps "health". On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from enrolment_service.adapters.tables import kit
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import Partners

pytestmark = pytest.mark.integration

OFII, AKTO, SCHOOL, AFPA = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    """The cohorts' providers, as enrolment learnt them from the gateway's events."""
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


def as_(issuer: TokenIssuer, kind: OrgKind, org: uuid.UUID, *roles: Role) -> dict[str, str]:
    return issuer.headers(kind, *(roles or (Role.WRITER,)), org_id=org)


async def published(database: Database, event_type: str) -> list[dict[str, Any]]:
    async with database.engine.connect() as connection:
        rows = await connection.scalars(select(kit.outbox.c.payload).where(kit.outbox.c.type == event_type))
        return [json.loads(row) for row in rows]


async def in_a_cohort(client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any) -> str:
    akto, ofii = as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO), as_(issuer, OrgKind.IMMIGRATION_OFFICE, OFII)
    person = (await client.post("/v1/beneficiaries", json=registration(), headers=ofii)).json()["id"]
    await client.post(f"/v1/beneficiaries/{person}/pathway/prerequisites", json=prerequisites(), headers=ofii)
    await client.put(f"/v1/beneficiaries/{person}/pathway/sector", json={"sector_code": "retail"}, headers=akto)
    cohort = await client.post(
        "/v1/cohorts",
        json={
            "name": "Vente Lille",
            "sector_code": "retail",
            "region": "32",
            "training_provider_org_id": str(SCHOOL),
            "support_provider_org_id": str(AFPA),
            "capacity": 5,
        },
        headers=akto,
    )
    assert cohort.status_code == 201, cohort.text
    added = await client.post(
        f"/v1/cohorts/{cohort.json()['id']}/members", json={"beneficiary_id": person}, headers=akto
    )
    assert added.status_code == 200, added.text
    return str(person)


async def test_a_hold_for_health_reasons_is_published_and_shown_to_a_provider_as_personal(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    person = await in_a_cohort(client, issuer, registration, prerequisites)
    support = as_(issuer, OrgKind.SUPPORT_PROVIDER, AFPA)
    held = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "put_on_hold", "reason_code": "health"},
        headers=support,
    )
    assert held.status_code == 200, held.text
    assert held.json()["pathway"]["history"][-1]["reason_code"] == "health"  # the support provider's full view

    [event] = await published(database, "fr.hope.enrolment.pathway.put_on_hold.v1")
    assert event["reason_code"] == "personal"
    school = await client.get(f"/v1/beneficiaries/{person}", headers=as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL))
    assert school.status_code == 200, school.text
    assert school.json()["view"] == "reduced"
    assert school.json()["pathway"]["history"][-1]["reason_code"] == "personal"
    operator = await client.get(f"/v1/beneficiaries/{person}", headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO))
    assert operator.json()["pathway"]["history"][-1]["reason_code"] == "health"


async def test_a_withdrawal_for_health_reasons_is_published_as_personal(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> None:
    person = await in_a_cohort(client, issuer, registration, prerequisites)
    withdrawn = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "withdraw", "withdrawal_reason": "health"},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["pathway"]["history"][-1]["reason_code"] == "health"

    [event] = await published(database, "fr.hope.enrolment.beneficiary.withdrawn.v1")
    assert event["reason"] == "personal"
    async with database.engine.connect() as connection:
        payloads = list(await connection.scalars(select(kit.outbox.c.payload)))
    assert not any(b"health" in payload for payload in payloads)
