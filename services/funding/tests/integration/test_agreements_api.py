"""Funders and agreements over HTTP on SQLite and PostgreSQL: the state machine, signing grants the lines and
publishes agreement-signed, and bad input or a wrong state is a problem document."""

from __future__ import annotations

import uuid

import httpx
import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import OPERATOR, Programme, assert_problem, outbox

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "1000.00", "amount": "15000.00"}


async def test_signing_an_agreement_makes_its_lines_available_and_publishes_it_without_names(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE, {**LINE, "amount": "5000.00"}])
    read = await client.get(f"/v1/agreements/{programme.agreement_id}", headers=programme.operator)
    agreement = read.json()
    assert agreement["status"] == "active"
    assert [h["to_status"] for h in agreement["history"]] == ["draft", "signed", "active"]
    assert agreement["total"] == "20000.00"
    assert read.headers["etag"] == f'"{agreement["version"]}"'
    view = await programme.money("agreements", programme.agreement_id)
    assert view["available"] == "20000.00"
    assert view["committed"] == "0.00"
    [signed] = [e for e in await outbox(database_url) if e["type"] == "fr.hope.funding.agreement.signed.v1"]
    assert signed["total_amount"] == "20000.00"
    assert {line["amount"] for line in signed["lines"]} == {"15000.00", "5000.00"}
    # The funder's partner organisation, so that reporting can scope that partner's readers to its agreements.
    assert signed["funder_organisation_id"] == str(programme.funder_org)
    # The partner-issued reference is free text: the event names the agreement by id only.
    assert "agreement_reference" not in signed
    assert "AKTO" not in str(signed)


async def test_an_agreement_cannot_be_signed_twice_nor_get_lines_once_signed(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    again = await client.post(
        f"/v1/agreements/{programme.agreement_id}/sign", json={"signed_on": "2026-01-05"}, headers=programme.operator
    )
    problem = assert_problem(again, 409, "illegal-transition")
    assert problem["current_status"] == "active"
    late = await client.post(
        f"/v1/agreements/{programme.agreement_id}/lines",
        json={"cost_type": "training_hours", "unit": "hour", **LINE},
        headers=programme.operator,
    )
    assert_problem(late, 409, "illegal-transition")


async def test_a_state_change_on_a_stale_version_is_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    stale = await client.post(
        f"/v1/agreements/{programme.agreement_id}/close", headers={**programme.operator, "If-Match": '"1"'}
    )
    assert_problem(stale, 409, "stale-version")


async def test_bad_input_is_a_problem_naming_the_field(client: httpx.AsyncClient, issuer: TokenIssuer) -> None:
    headers = issuer.headers(OPERATOR, Role.WRITER)
    funder = (
        await client.post(
            "/v1/funders", json={"code": "REG-IDF", "name": "Île-de-France", "kind": "region"}, headers=headers
        )
    ).json()
    for body, field in [
        (
            {
                "funder_id": funder["id"],
                "reference": "has space",
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
            },
            "reference",
        ),
        ({"funder_id": funder["id"], "reference": "R1", "period_start": "2026-01-01"}, "period_end"),
    ]:
        problem = assert_problem(await client.post("/v1/agreements", json=body, headers=headers), 422, "validation")
        assert any(field in error["field"] for error in problem["errors"]), problem
    backwards = {"funder_id": funder["id"], "reference": "R2", "period_start": "2026-12-31", "period_end": "2026-01-01"}
    assert_problem(await client.post("/v1/agreements", json=backwards, headers=headers), 422, "dates-out-of-order")
    agreement = (
        await client.post(
            "/v1/agreements",
            json={
                "funder_id": funder["id"],
                "reference": "R3",
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
            },
            headers=headers,
        )
    ).json()
    float_money = {"cost_type": "training_hours", "unit": "hour", "rate": 15.5, "quantity": "10.00", "amount": "155.00"}
    problem = assert_problem(
        await client.post(f"/v1/agreements/{agreement['id']}/lines", json=float_money, headers=headers),
        422,
        "validation",
    )
    assert any("rate" in error["field"] for error in problem["errors"])
    too_much = {"cost_type": "training_hours", "unit": "hour", "rate": "15.00", "quantity": "10.00", "amount": "151.00"}
    assert_problem(
        await client.post(f"/v1/agreements/{agreement['id']}/lines", json=too_much, headers=headers),
        400,
        "invalid-value",
    )
    duplicate = {"code": "REG-IDF", "name": "Other", "kind": "region"}
    assert_problem(await client.post("/v1/funders", json=duplicate, headers=headers), 409, "code-taken")
    assert_problem(await client.get(f"/v1/agreements/{uuid.uuid4()}", headers=headers), 404)


async def test_a_document_is_attached_once_and_a_funder_reader_lists_only_its_own(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    other = Programme(client, issuer, database)
    await other.agreement([LINE], code="REG-IDF")
    document = {"kind": "convention", "reference": "CONV-2026-001"}
    for _ in range(2):
        attached = await client.post(
            f"/v1/agreements/{programme.agreement_id}/documents", json=document, headers=programme.operator
        )
        assert attached.status_code == 200, attached.text
    assert attached.json()["documents"] == [document]
    reader = issuer.headers(OrgKind.PUBLIC_EMPLOYMENT, Role.READER, org_id=programme.funder_org)
    listed = (await client.get("/v1/agreements", headers=reader)).json()["items"]
    assert [item["id"] for item in listed] == [programme.agreement_id]
    funders = (await client.get("/v1/funders", headers=reader)).json()["items"]
    assert [item["id"] for item in funders] == [programme.funder_id]
    assert_problem(await client.get(f"/v1/agreements/{other.agreement_id}", headers=reader), 404)
    assert_problem(await client.get(f"/v1/money/funders/{other.funder_id}", headers=reader), 404)
    assert (await client.get(f"/v1/money/funders/{programme.funder_id}", headers=reader)).status_code == 200


async def test_a_plan_whose_shares_do_not_sum_to_one_or_whose_cohort_is_unknown_is_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE, LINE])
    unknown = await client.post(
        "/v1/financing-plans",
        json={
            "cost_type": "training_hours",
            "unit_cost": "15.00",
            "step": 3,
            "cohort_id": str(uuid.uuid4()),
            "shares": [{"budget_line_id": programme.line_ids[0], "share": "1"}],
            "remainder_line_id": programme.line_ids[0],
        },
        headers=programme.operator,
    )
    assert_problem(unknown, 404)
    await programme.cohort([])
    short = await client.post(
        "/v1/financing-plans",
        json={
            "cost_type": "training_hours",
            "unit_cost": "15.00",
            "step": 3,
            "cohort_id": str(programme.cohort_id),
            "shares": [
                {"budget_line_id": programme.line_ids[0], "share": "0.7"},
                {"budget_line_id": programme.line_ids[1], "share": "0.2"},
            ],
            "remainder_line_id": programme.line_ids[0],
        },
        headers=programme.operator,
    )
    assert_problem(short, 400, "invalid-value")
    await programme.plan("15.00", ["0.7", "0.3"])
    twice = await client.post(
        "/v1/financing-plans",
        json={
            "cost_type": "training_hours",
            "unit_cost": "15.00",
            "step": 3,
            "cohort_id": str(programme.cohort_id),
            "shares": [{"budget_line_id": programme.line_ids[0], "share": "1"}],
            "remainder_line_id": programme.line_ids[0],
        },
        headers=programme.operator,
    )
    assert_problem(twice, 409, "plan-exists")


async def test_a_funder_without_a_partner_organisation_signs_with_none_named(
    client: httpx.AsyncClient, issuer: TokenIssuer, database_url: str
) -> None:
    headers = issuer.headers(OPERATOR, Role.WRITER)
    funder = await client.post("/v1/funders", json={"code": "ESF", "name": "FSE+", "kind": "esf"}, headers=headers)
    assert funder.status_code == 201, funder.text
    agreement = await client.post(
        "/v1/agreements",
        json={
            "funder_id": funder.json()["id"],
            "reference": "FSE-2026-7",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
        headers=headers,
    )
    agreement_id = agreement.json()["id"]
    line = {"cost_type": "training_hours", "unit": "hour", **LINE}
    assert (await client.post(f"/v1/agreements/{agreement_id}/lines", json=line, headers=headers)).status_code == 201
    signed = await client.post(f"/v1/agreements/{agreement_id}/sign", json={"signed_on": "2026-01-05"}, headers=headers)
    assert signed.status_code == 200, signed.text
    [event] = [e for e in await outbox(database_url) if e["type"] == "fr.hope.funding.agreement.signed.v1"]
    assert event["funder_organisation_id"] is None
