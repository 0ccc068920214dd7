"""A funder's readers are scoped by the organisation ``agreement.signed`` names for the funder
(``funder_organisation_id``): they see their own agreements' money, any other organisation nothing."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from hope_contracts import funding
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import received
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from reporting_service.adapters.tables_scoping import funder_organisations

from .conftest import deliver
from .scenario import Cohort, at
from .support import assert_problem

pytestmark = pytest.mark.integration


def _agreement(funder: uuid.UUID, organisation: uuid.UUID | None, day: float) -> funding.AgreementSigned:
    return funding.AgreementSigned(
        agreement_id=uuid.uuid4(),
        funder_id=funder,
        funder_kind="region",
        funder_organisation_id=organisation,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        signed_on=date(2025, 12, 1),
        total_amount=Decimal("1000.00"),
        lines=(
            funding.BudgetLineGranted(
                budget_line_id=uuid.uuid4(),
                cost_type="training_hours",
                unit="hour",
                quantity=Decimal(100),
                amount=Decimal("1000.00"),
            ),
        ),
        occurred_at=at(day),
    )


async def _links(database: Database) -> dict[uuid.UUID, uuid.UUID]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(funder_organisations.c.funder_id, funder_organisations.c.org_id))
        return {row.funder_id: row.org_id for row in rows}


async def test_a_funders_organisation_reads_its_agreements_money_and_no_other_organisation_does(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    cohort = Cohort()
    for event in cohort.events():
        await deliver(database, received(event))
    assert await _links(database) == {cohort.funder: cohort.funder_org}

    headers = issuer.headers(OrgKind.PUBLIC_EMPLOYMENT, Role.READER, org_id=cohort.funder_org)
    response = await client.get("/v1/indicators/money_by_funder", params={"by": "funder"}, headers=headers)
    assert response.status_code == 200, response.text
    assert [row["group"] for row in response.json()["groups"]] == [str(cohort.funder), "total"]

    stranger = issuer.headers(OrgKind.PUBLIC_EMPLOYMENT, Role.READER, org_id=uuid.uuid4())
    refused = await client.get("/v1/indicators/money_by_funder", params={"by": "funder"}, headers=stranger)
    assert_problem(refused, 403)


async def test_an_agreement_without_an_organisation_keeps_the_link_and_the_latest_link_wins(
    database: Database,
) -> None:
    funder, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(database, received(_agreement(funder, second, 20)))
    await deliver(database, received(_agreement(funder, first, 10)))  # older, arriving late: changes nothing
    await deliver(database, received(_agreement(funder, None, 30)))  # names no organisation: changes nothing
    assert await _links(database) == {funder: second}
