"""A claim's whole life over HTTP on SQLite and PostgreSQL: built from what was consumed, submitted, returned
with a comment, submitted again, approved for less on one line, paid and reconciled; its certificates (JSON
and PDF) carry the hours of the latest sheets, and its CSV export one row per person and line."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from funding_service.adapters.tables import kit
from hope_contracts import training
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver, received
from .support import TODAY, Programme, assert_problem, kept_and_derived_balances, outbox

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "10000.00", "amount": "150000.00"}
MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}


async def consumed_programme(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> tuple[Programme, uuid.UUID, uuid.UUID, uuid.UUID]:
    """Alice present 7 h, Bruno 6 h of 7 with an unexcused hour, on one step-3 session in March."""
    programme = Programme(client, issuer, database)
    await programme.agreement([LINE])
    alice, bruno = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bruno])
    await programme.plan("15.00", ["1"])
    for person in (alice, bruno):
        await programme.step_started(person)
    course = uuid.uuid4()
    sheet = training.AttendanceRecorded(
        session_id=uuid.uuid4(),
        course_id=course,
        step=3,
        cohort_id=programme.cohort_id,
        held_on=date(2026, 3, 2),
        session_hours=Decimal("7.00"),
        session_kind="core",
        entries=(
            training.AttendanceEntry(beneficiary_id=alice, status="present", hours_attended=Decimal("7.00")),
            training.AttendanceEntry(beneficiary_id=bruno, status="unexcused", hours_attended=Decimal("6.00")),
        ),
        occurred_at=datetime.now(UTC),
    )
    await deliver(database, received(sheet, source="/hope/training"))
    return programme, alice, bruno, course


async def test_a_claim_lives_from_draft_to_reconciled_moving_the_money_at_each_step(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme, alice, bruno, _ = await consumed_programme(client, issuer, database)
    claim = await programme.post("/v1/claims", {"agreement_id": programme.agreement_id, **MARCH})
    assert (claim["status"], claim["claimed"]) == ("draft", "195.00")
    assert {(line["beneficiary_id"], line["claimed"]) for line in claim["lines"]} == {
        (str(alice), "105.00"),
        (str(bruno), "90.00"),
    }
    # What a draft took cannot be claimed again.
    again = await client.post(
        "/v1/claims", json={"agreement_id": programme.agreement_id, **MARCH}, headers=programme.operator
    )
    assert_problem(again, 400, "invalid-value")

    path = f"/v1/claims/{claim['id']}"
    await programme.post(f"{path}/submit", {"on": TODAY}, 200)
    assert (await programme.money("agreements", programme.agreement_id))["claimed"] == "195.00"
    returned = await programme.post(f"{path}/return", {"on": TODAY, "comment": "Signature manquante"}, 200)
    assert returned["history"][-1]["comment"] == "Signature manquante"
    assert (await programme.money("agreements", programme.agreement_id))["claimed"] == "0.00"
    await programme.post(f"{path}/reopen", {"on": TODAY}, 200)
    await programme.post(f"{path}/submit", {"on": TODAY}, 200)

    unexplained = await client.post(
        f"{path}/approve",
        json={
            "on": TODAY,
            "lines": [{"beneficiary_id": str(alice), "budget_line_id": programme.line_ids[0], "approved": "100.00"}],
        },
        headers=programme.operator,
    )
    assert_problem(unexplained, 400, "invalid-value")
    made_up = await client.post(
        f"{path}/approve",
        json={
            "on": TODAY,
            "lines": [
                {
                    "beneficiary_id": str(alice),
                    "budget_line_id": programme.line_ids[0],
                    "approved": "100.00",
                    "reason_code": "pregnancy_leave",
                }
            ],
        },
        headers=programme.operator,
    )
    assert_problem(made_up, 422, "validation")
    approved = await programme.post(
        f"{path}/approve",
        {
            "on": TODAY,
            "lines": [
                {
                    "beneficiary_id": str(alice),
                    "budget_line_id": programme.line_ids[0],
                    "approved": "100.00",
                    "reason_code": "hours_not_evidenced",
                }
            ],
        },
        200,
    )
    assert (approved["status"], approved["approved"]) == ("approved", "190.00")
    too_much = await client.post(
        f"{path}/payment", json={"on": TODAY, "reference": "PAY-1", "amount": "190.01"}, headers=programme.operator
    )
    assert_problem(too_much, 400, "invalid-value")
    paid = await programme.post(f"{path}/payment", {"on": TODAY, "reference": "PAY-1", "amount": "190.00"}, 200)
    assert (paid["status"], paid["paid_amount"]) == ("paid", "190.00")
    assert (await programme.post(f"{path}/reconcile", {"on": TODAY}, 200))["status"] == "reconciled"

    view = await programme.money("agreements", programme.agreement_id)
    assert (view["consumed"], view["claimed"], view["approved"], view["paid"], view["disallowed"]) == (
        "195.00",
        "195.00",
        "190.00",
        "190.00",
        "5.00",
    )
    events = await outbox(database_url)
    types = [
        event["type"].split(".")[3:5] for event in events if ".claim." in event["type"] or ".payment." in event["type"]
    ]
    assert types == [["claim", "submitted"], ["claim", "submitted"], ["claim", "approved"], ["payment", "issued"]]
    [issued] = [event for event in events if event["type"] == "fr.hope.funding.payment.issued.v1"]
    assert "PAY-1" not in str(issued)
    assert "Signature" not in str(events)
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_a_rejected_claim_moves_what_was_claimed_to_disallowed(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme, _, _, _ = await consumed_programme(client, issuer, database)
    claim = await programme.post("/v1/claims", {"agreement_id": programme.agreement_id, **MARCH})
    await programme.post(f"/v1/claims/{claim['id']}/submit", {"on": TODAY}, 200)
    rejected = await programme.post(
        f"/v1/claims/{claim['id']}/reject", {"on": TODAY, "reason_code": "out_of_scope"}, 200
    )
    assert rejected["status"] == "rejected"
    view = await programme.money("agreements", programme.agreement_id)
    assert (view["approved"], view["disallowed"]) == ("0.00", "195.00")
    [event] = [e for e in await outbox(database_url) if e["type"] == "fr.hope.funding.claim.rejected.v1"]
    assert (event["reason_code"], event["claimed_amount"]) == ("out_of_scope", "195.00")
    made_up = await client.post(
        f"/v1/claims/{claim['id']}/reject",
        json={"on": TODAY, "reason_code": "tuberculosis"},
        headers=programme.operator,
    )
    assert_problem(made_up, 422, "validation")
    late = await client.post(f"/v1/claims/{claim['id']}/submit", json={"on": TODAY}, headers=programme.operator)
    assert_problem(late, 409, "illegal-transition")


async def test_certificates_carry_the_attested_hours_as_json_and_pdf_and_the_claim_exports_as_csv(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme, alice, bruno, course = await consumed_programme(client, issuer, database)
    claim = await programme.post("/v1/claims", {"agreement_id": programme.agreement_id, **MARCH})
    path = f"/v1/claims/{claim['id']}"
    [certificate] = (await client.get(f"{path}/certificates/{bruno}", headers=programme.operator)).json()
    assert certificate["course_id"] == str(course)
    assert (certificate["hours_present"], certificate["hours_excused"], certificate["hours_unexcused"]) == (
        "6.00",
        "0.00",
        "1.00",
    )
    assert (certificate["first_day"], certificate["last_day"]) == ("2026-03-02", "2026-03-02")
    pdf = await client.get(f"{path}/certificates/{alice}", headers={**programme.operator, "Accept": "application/pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    exported = await client.get(f"{path}/export.csv", headers=programme.operator)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sorted((row["beneficiary_id"], row["claimed"]) for row in rows) == sorted(
        [(str(alice), "105.00"), (str(bruno), "90.00")]
    )
    nobody = await client.get(f"{path}/certificates/{uuid.uuid4()}", headers=programme.operator)
    assert_problem(nobody, 404)


async def test_each_organisation_kind_sees_only_what_the_access_rules_give_it(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme, alice, _, _ = await consumed_programme(client, issuer, database)
    claim = await programme.post("/v1/claims", {"agreement_id": programme.agreement_id, **MARCH})
    claim_path = f"/v1/claims/{claim['id']}"
    agreement_path = f"/v1/agreements/{programme.agreement_id}"
    certificate_path = f"{claim_path}/certificates/{alice}"

    funder = issuer.headers(OrgKind.PUBLIC_EMPLOYMENT, Role.READER, org_id=programme.funder_org)
    for path in (claim_path, agreement_path, f"/v1/money/agreements/{programme.agreement_id}", certificate_path):
        assert (await client.get(path, headers=funder)).status_code == 200, path
    assert [item["id"] for item in (await client.get("/v1/claims", headers=funder)).json()["items"]] == [claim["id"]]
    assert_problem(await client.post(f"{claim_path}/submit", json={"on": TODAY}, headers=funder), 403)

    provider = issuer.headers(OrgKind.TRAINING_PROVIDER, Role.READER, org_id=programme.provider_org)
    assert (await client.get(certificate_path, headers=provider)).status_code == 200
    assert (await client.get(f"/v1/money/cohorts/{programme.cohort_id}", headers=provider)).status_code == 200
    assert_problem(await client.get(claim_path, headers=provider), 404)
    assert_problem(await client.get(agreement_path, headers=provider), 404)

    other_provider = issuer.headers(OrgKind.TRAINING_PROVIDER, Role.READER)
    assert_problem(await client.get(certificate_path, headers=other_provider), 404)
    assert_problem(await client.get(f"/v1/money/cohorts/{programme.cohort_id}", headers=other_provider), 404)

    for kind in OrgKind:
        if kind is OrgKind.PROGRAMME_OPERATOR:
            continue
        stranger = issuer.headers(kind, Role.ADMIN)
        assert_problem(await client.get(claim_path, headers=stranger), 404)
        assert_problem(await client.get(f"/v1/money/people/{alice}", headers=stranger), 404)
        assert_problem(await client.get("/v1/claims", headers=stranger), 403)
        assert_problem(await client.get("/v1/agreements", headers=stranger), 403)
        refused = await client.post(
            "/v1/claims", json={"agreement_id": programme.agreement_id, **MARCH}, headers=stranger
        )
        assert_problem(refused, 403)
    operator_reader = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    assert (await client.get(claim_path, headers=operator_reader)).status_code == 200
    assert_problem(await client.post(f"{claim_path}/submit", json={"on": TODAY}, headers=operator_reader), 403)


async def test_reading_a_claim_a_certificate_or_a_person_s_money_leaves_an_audit_row(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme, alice, _, _ = await consumed_programme(client, issuer, database)
    claim = await programme.post("/v1/claims", {"agreement_id": programme.agreement_id, **MARCH})
    reader = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    for path in (
        f"/v1/claims/{claim['id']}",
        f"/v1/claims/{claim['id']}/certificates/{alice}",
        f"/v1/money/people/{alice}",
    ):
        assert (await client.get(path, headers=reader)).status_code == 200, path
    audit = kit.audit
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(audit.c.action, audit.c.object_id).where(audit.c.action.like("read%")))
        found = {(row.action, row.object_id) for row in rows}
    assert found == {
        ("read", claim["id"]),
        ("read-certificate", str(alice)),
        ("read-money", str(alice)),
    }
