"""What the integration tests check answers and the outbox with."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import enrolment
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer, seed_partners
from hopekit.uow import Database
from support_service.adapters.tables import kit, partners
from support_service.adapters.unit_of_work import SupportUnitOfWork

SERVICE_ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    if slug is not None:
        assert problem["type"] == f"urn:hope:problem:{slug}"
    return problem


async def outbox(database_url: str) -> list[dict[str, Any]]:
    """The events written so far, payloads decoded (no Kafka here: they wait in the outbox)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(kit.outbox.c.type, kit.outbox.c.payload))
            return [{"type": row.type, **json.loads(row.payload)} for row in rows]
    finally:
        await engine.dispose()


async def raw_rows(database_url: str, statement: str) -> list[dict[str, Any]]:
    """Rows as the database holds them, read with plain SQL (what a backup or a stolen disk would show)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [dict(row._mapping) for row in await connection.execute(text(statement))]
    finally:
        await engine.dispose()


def cohort_created(cohort: uuid.UUID, support_org: uuid.UUID) -> enrolment.CohortCreated:
    return enrolment.CohortCreated(
        cohort_id=cohort,
        sector_code="logistics",
        region="11",
        track="group",
        training_provider_org_id=uuid.uuid4(),
        support_provider_org_id=support_org,
        capacity=12,
        occurred_at=datetime.now(UTC),
    )


def step_started(person: uuid.UUID, step: int, cohort: uuid.UUID | None) -> enrolment.StepStarted:
    return enrolment.StepStarted(
        beneficiary_id=person, step=step, track="group", cohort_id=cohort, occurred_at=datetime.now(UTC)
    )


class Programme:
    """The partners around support: enrolment's events delivered by hand, the support provider over HTTP."""

    def __init__(self, client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> None:
        self.client = client
        self.issuer = issuer
        self.database = database

    def headers(self, kind: OrgKind, *roles: Role, org: uuid.UUID | None = None) -> dict[str, str]:
        return self.issuer.headers(kind, *roles, org_id=org)

    def support(self, org: uuid.UUID, *roles: Role) -> dict[str, str]:
        return self.issuer.headers(OrgKind.SUPPORT_PROVIDER, *(roles or (Role.WRITER,)), org_id=org)

    async def partner(self, org: uuid.UUID, kind: OrgKind = OrgKind.SUPPORT_PROVIDER, active: bool = True) -> None:
        """The organisation as the gateway's events register it (through the kit's own consumer path)."""
        await seed_partners(lambda: SupportUnitOfWork(self.database), partners, {org: kind}, active=active)

    async def person_in_step_3(self, support_org: uuid.UUID) -> tuple[uuid.UUID, str]:
        """A person of a cohort `support_org` supports, in step 3: their file, opened by enrolment's events. The
        organisation is registered at the gateway, as a cohort's support provider always is."""
        from .conftest import deliver

        await self.partner(support_org)
        cohort, person = uuid.uuid4(), uuid.uuid4()
        await deliver(self.database, cohort_created(cohort, support_org))
        await deliver(self.database, step_started(person, 3, cohort))
        return person, await self.file_of(person, support_org)

    async def residence(
        self, org: uuid.UUID, beds: int = 1, opens_on: str = "2026-01-01", closes_on: str = "2027-01-01"
    ) -> dict[str, Any]:
        """A residence of `org` (registered at the gateway first) with one room of `beds` beds, open that period."""
        await self.partner(org)
        created = await self.client.post(
            "/v1/residences",
            json={
                "label": "Centre AFPA de Meaux",
                "commune_code": "77284",
                "department_code": "77",
                "open_periods": [{"starts_on": opens_on, "ends_on": closes_on}],
                "rooms": [{"room": "A1", "beds": beds}],
            },
            headers=self.support(org, Role.ADMIN),
        )
        assert created.status_code == 201, created.text
        found: dict[str, Any] = created.json()
        return found

    async def file_of(self, person: uuid.UUID, support_org: uuid.UUID) -> str:
        listed = await self.client.get(
            f"/v1/files?beneficiary_id={person}", headers=self.support(support_org, Role.READER)
        )
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        assert len(items) == 1, items
        file_id: str = items[0]["id"]
        return file_id

    async def note(self, file_id: str, support_org: uuid.UUID, level: str, body: str) -> str:
        role = Role.MEDICAL if level == "medical" else Role.WRITER
        written = await self.client.post(
            f"/v1/files/{file_id}/notes", json={"level": level, "body": body}, headers=self.support(support_org, role)
        )
        assert written.status_code == 201, written.text
        note_id: str = written.json()["id"]
        return note_id
