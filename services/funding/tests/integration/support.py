"""What the integration tests build the programme with and check answers, the outbox and the ledger with."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from funding_service.adapters.tables import accounts, kit, postings
from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_contracts import enrolment
from hopekit.db.engine import make_engine
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database

from .conftest import deliver, received

PROBLEM = "application/problem+json"
OPERATOR = OrgKind.PROGRAMME_OPERATOR


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


async def of_type(database_url: str, event_type: str) -> list[dict[str, object]]:
    return [event for event in await outbox(database_url) if event["type"] == event_type]


async def kept_and_derived_balances(database_url: str) -> tuple[dict[uuid.UUID, Decimal], dict[uuid.UUID, Decimal]]:
    """Every account's kept balance, and the same derived again from the postings alone."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            kept = {row.id: row.balance for row in await connection.execute(select(accounts.c.id, accounts.c.balance))}
            derived: dict[uuid.UUID, Decimal] = dict.fromkeys(kept, Decimal("0.00"))
            for row in await connection.execute(select(postings.c.account_id, postings.c.side, postings.c.amount)):
                derived[row.account_id] += row.amount if row.side == "credit" else -row.amount
            return kept, derived
    finally:
        await engine.dispose()


@dataclass
class Programme:
    """A funder, an active agreement with one training-hours line, and a cohort paid by a plan on it."""

    client: httpx.AsyncClient
    issuer: TokenIssuer
    database: Database
    funder_org: uuid.UUID = field(default_factory=uuid.uuid4)
    provider_org: uuid.UUID = field(default_factory=uuid.uuid4)
    cohort_id: uuid.UUID = field(default_factory=uuid.uuid4)
    funder_id: str = ""
    agreement_id: str = ""
    line_ids: list[str] = field(default_factory=list)

    @property
    def operator(self) -> dict[str, str]:
        return self.issuer.headers(OPERATOR, Role.WRITER)

    async def post(self, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
        response = await self.client.post(path, json=body, headers=self.operator)
        assert response.status_code == status, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def agreement(self, lines: list[dict[str, Any]], code: str = "AKTO") -> None:
        """A signed and active agreement of a funder read by ``funder_org``, with these lines."""
        self.funder_id = (
            await self.post(
                "/v1/funders", {"code": code, "name": "AKTO", "kind": "opco", "org_id": str(self.funder_org)}
            )
        )["id"]
        self.agreement_id = (
            await self.post(
                "/v1/agreements",
                {
                    "funder_id": self.funder_id,
                    "reference": f"{code}-2026-001",
                    "period_start": "2026-01-01",
                    "period_end": "2027-12-31",
                },
            )
        )["id"]
        for line in lines:
            body = {"cost_type": "training_hours", "unit": "hour", **line}
            self.line_ids.append((await self.post(f"/v1/agreements/{self.agreement_id}/lines", body))["id"])
        await self.post(f"/v1/agreements/{self.agreement_id}/sign", {"signed_on": "2026-01-05"}, 200)
        await self.post(f"/v1/agreements/{self.agreement_id}/activate", {}, 200)

    def cohort_created(self) -> enrolment.CohortCreated:
        return enrolment.CohortCreated(
            cohort_id=self.cohort_id,
            sector_code="logistics",
            region="11",  # Île-de-France
            track="group",
            training_provider_org_id=self.provider_org,
            support_provider_org_id=uuid.uuid4(),
            capacity=20,
            occurred_at=datetime.now(UTC),
        )

    async def cohort(self, members: list[uuid.UUID]) -> None:
        await deliver(self.database, received(self.cohort_created()))
        for person in members:
            await deliver(
                self.database,
                received(
                    enrolment.CohortMemberAdded(
                        cohort_id=self.cohort_id, beneficiary_id=person, occurred_at=datetime.now(UTC)
                    )
                ),
            )

    async def wait_for_cohort(self) -> None:
        """Until the cohort sent on Kafka is in the projection (the topic is shared with other tests: this one)."""
        for _ in range(200):
            listed = (await self.client.get("/v1/cohorts-without-plan", headers=self.operator)).json()
            if str(self.cohort_id) in listed["cohort_ids"]:
                return
            await asyncio.sleep(0.1)

    async def plan(
        self, unit_cost: str, shares: list[str], step: int = 3, beneficiary_id: uuid.UUID | None = None
    ) -> dict[str, Any]:
        """The cohort's plan for training hours, or with ``beneficiary_id`` that person's own (an individual path)."""
        payee = (
            {"cohort_id": str(self.cohort_id)} if beneficiary_id is None else {"beneficiary_id": str(beneficiary_id)}
        )
        return await self.post(
            "/v1/financing-plans",
            {
                "cost_type": "training_hours",
                "unit_cost": unit_cost,
                "step": step,
                **payee,
                "shares": [
                    {"budget_line_id": line, "share": share} for line, share in zip(self.line_ids, shares, strict=True)
                ],
                "remainder_line_id": self.line_ids[0],
            },
        )

    async def step_started(self, person: uuid.UUID, step: int = 3) -> bool:
        return await deliver(
            self.database,
            received(
                enrolment.StepStarted(
                    beneficiary_id=person,
                    step=step,
                    track="group",
                    cohort_id=self.cohort_id,
                    sector_code="logistics",
                    occurred_at=datetime.now(UTC),
                )
            ),
        )

    async def withdraw(self, person: uuid.UUID) -> bool:
        withdrawn = enrolment.BeneficiaryWithdrawn(
            beneficiary_id=person,
            reason="moved_away",
            from_status="french_qualification",
            last_step=3,
            occurred_at=datetime.now(UTC),
        )
        return await deliver(self.database, received(withdrawn))

    async def money(self, kind: str, object_id: object) -> dict[str, Any]:
        response = await self.client.get(f"/v1/money/{kind}/{object_id}", headers=self.operator)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


TODAY = date.today().isoformat()


@asynccontextmanager
async def funding_on_kafka(postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer) -> AsyncIterator[Programme]:
    """Funding as it runs (PostgreSQL, consumers and relay on Kafka), with an agreement of one training-hours line
    of 1,000 h at 15.00."""
    app = create_app(service_settings(FundingSettings, postgres_url, issuer, kafka_bootstrap))
    engine = make_engine(postgres_url)
    try:
        async with running(app) as client:
            programme = Programme(client, issuer, Database(engine=engine, tables=app.state.database.tables))
            await programme.agreement([{"rate": "15.00", "quantity": "1000.00", "amount": "15000.00"}])
            yield programme
    finally:
        await engine.dispose()
