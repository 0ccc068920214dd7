"""Exports on SQLite and PostgreSQL: CSV and XLSX with the definitions and the completeness date, formulas
neutralised even when the read models hold one, every export audited with its filters."""

from __future__ import annotations

import csv
import io
import uuid

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.audit_reason import fitted_reason
from hopekit.identity.principal import Principal
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from reporting_service.adapters.summaries import summarise
from reporting_service.adapters.tables import fact_people, kit
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.domain.indicators.registry import BY_ID

from .hand_made_facts import Programme, programme_fixture
from .support import assert_problem

pytestmark = pytest.mark.integration

__all__ = ["programme_fixture"]

EVIL = '=HYPERLINK("http://evil","x")'


async def test_a_csv_export_holds_definitions_completeness_and_the_figures_and_is_audited(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, programme: Programme
) -> None:
    org = uuid.uuid4()
    headers = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.REPORTING, org_id=org)
    params = {"format": "csv", "by": "region", "from": "2020-01-01", "to": "2026-12-31"}
    response = await client.get("/v1/indicators/employment_at_exit/export", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "employment_at_exit-region-2020-01-01-2026-12-31.csv" in response.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    described = {line[0]: line[1] for line in lines if len(line) == 2}
    assert described["definition (en)"] == BY_ID["employment_at_exit"].definition[1]
    assert described["complete up to"].startswith("2026-11-30")
    assert described["filters"] == "by=region from=2020-01-01 to=2026-12-31"
    groups = [line for line in lines if line and line[0] in ("84", "11", "93", "total")]
    assert {line[0] for line in groups} == {"84", "11", "93", "total"}
    assert "suppressed" in next(line for line in groups if line[0] == "11")
    async with database.engine.connect() as connection:
        audited = (await connection.execute(select(kit.audit).where(kit.audit.c.action == "export"))).mappings().all()
    assert len(audited) == 1
    assert (audited[0]["actor_org_id"], audited[0]["object_id"]) == (org, "employment_at_exit")
    assert audited[0]["reason"] == "format=csv by=region from=2020-01-01 to=2026-12-31"


async def test_an_xlsx_export_neutralises_a_formula_that_reached_the_read_models(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, programme: Programme
) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(
            update(fact_people)
            .where(fact_people.c.cohort_id == programme.cohorts[0].cohort_id)
            .values(sector_code=EVIL)
        )
        await summarise(connection, 1)  # as the consumers keep the summaries with the facts
    response = await client.get(
        "/v1/indicators/entries/export",
        params={"format": "xlsx", "by": "sector"},
        headers=issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER),
    )
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["definition", "by group", "by month"]
    labels = [row[0] for row in book["by group"].iter_rows(values_only=True)]
    assert "'" + EVIL in labels
    assert EVIL not in labels
    cells = [value for sheet in book for row in sheet.iter_rows(values_only=True) for value in row]
    assert not any(isinstance(value, str) and value.startswith("=") for value in cells)
    described = {row[0]: row[1] for row in book["definition"].iter_rows(values_only=True)}
    assert described["complete up to"].startswith("2026-11-30")
    total = next(row for row in book["by group"].iter_rows(values_only=True) if row[0] == "total")
    assert total[1] == 56, "numbers stay numbers"


async def test_an_export_with_bad_parameters_is_a_problem_and_nothing_is_audited(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    headers = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    assert_problem(await client.get("/v1/indicators/entries/export?format=pdf", headers=headers), 422, "validation")
    assert_problem(await client.get("/v1/indicators/entries/export?by=funder", headers=headers), 422)
    async with database.engine.connect() as connection:
        assert (await connection.execute(select(kit.audit))).first() is None


async def test_an_audit_reason_longer_than_the_column_is_stored_as_its_start_and_a_digest(database: Database) -> None:
    """PostgreSQL refuses a reason over the audit log's 200 characters: the unit of work fits it first."""
    reason = "format=xlsx by=cohort from=2016-01-01 to=2026-12-31 " + " ".join(f"region={n:02d}" for n in range(40))
    principal = Principal("someone", uuid.uuid4(), OrgKind.PROGRAMME_OPERATOR, frozenset({Role.READER}), frozenset())
    async with ReportingUnitOfWork(database) as uow:
        uow.audit(principal, "export", "indicator", "entries", reason=reason)
        await uow.commit()
    async with database.engine.connect() as connection:
        stored = (await connection.execute(select(kit.audit.c.reason))).scalar_one()
    assert stored == fitted_reason(reason, 200)
    assert len(stored) <= 200
    assert stored.startswith("format=xlsx by=cohort from=2016-01-01")
