"""A consent given or withdrawn is published (`beneficiary.consent_changed`) for the purposes other services act on;
a consent to health support never reaches the outbox, given or withdrawn. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from enrolment_service.adapters.tables import kit
from enrolment_service.main import create_app
from enrolment_service.settings import EnrolmentSettings
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import outbox_events
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

pytestmark = pytest.mark.integration

CONSENT_CHANGED = "fr.hope.enrolment.beneficiary.consent_changed.v1"


async def test_giving_and_withdrawing_a_consent_is_published_once_each(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database_url: str
) -> None:
    office = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    person = (await client.post("/v1/beneficiaries", json=registration(), headers=office)).json()["id"]
    path = f"/v1/beneficiaries/{person}/consents"

    for given in (True, True, False):
        answer = await client.post(path, json={"purpose": "data_sharing_with_partners", "given": given}, headers=office)
        assert answer.status_code == 201, answer.text

    published = [e for e in await outbox_events(database_url, kit, CONSENT_CHANGED) if e["beneficiary_id"] == person]
    assert [(e["purpose"], e["given"]) for e in published] == [
        ("data_sharing_with_partners", True),
        ("data_sharing_with_partners", False),
    ]


async def test_a_consent_to_health_support_never_reaches_the_outbox(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database: Database
) -> None:
    office = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    person = (await client.post("/v1/beneficiaries", json=registration(), headers=office)).json()["id"]

    for given in (True, False, True):
        answer = await client.post(
            f"/v1/beneficiaries/{person}/consents", json={"purpose": "health_support", "given": given}, headers=office
        )
        assert answer.status_code == 201, answer.text

    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(kit.outbox.c.type, kit.outbox.c.payload))).all()
    # Only the registration is about this person; nothing anywhere says "health".
    assert [row.type for row in rows if person.encode() in row.payload] == [
        "fr.hope.enrolment.beneficiary.registered.v1"
    ]
    assert not any(b"health" in row.payload for row in rows)
    # The consent itself is kept, for those who may read it.
    read = await client.get(f"/v1/beneficiaries/{person}", headers=office)
    assert [c["given"] for c in read.json()["consents"] if c["purpose"] == "health_support"] == [True, False, True]


async def test_a_consent_retried_with_its_idempotency_key_is_answered_again_and_recorded_once(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database_url: str
) -> None:
    office = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    person = (await client.post("/v1/beneficiaries", json=registration(), headers=office)).json()["id"]
    other = (await client.post("/v1/beneficiaries", json=registration(), headers=office)).json()["id"]
    path = f"/v1/beneficiaries/{person}/consents"
    keyed = office | {"Idempotency-Key": "consent-0001"}
    given = {"purpose": "data_sharing_with_partners", "given": True}

    first = await client.post(path, json=given, headers=keyed)
    withdrawn = await client.post(path, json=given | {"given": False}, headers=office)
    # A client that never heard the first answer retries it after the withdrawal: the consent stays withdrawn.
    retry = await client.post(path, json=given, headers=keyed)

    assert first.status_code == withdrawn.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    read = (await client.get(f"/v1/beneficiaries/{person}", headers=office)).json()
    assert [c["given"] for c in read["consents"]] == [True, False]
    published = [e for e in await outbox_events(database_url, kit, CONSENT_CHANGED) if e["beneficiary_id"] == person]
    assert [e["given"] for e in published] == [True, False]

    for reused in (
        await client.post(path, json=given | {"purpose": "employer_contact"}, headers=keyed),
        await client.post(f"/v1/beneficiaries/{other}/consents", json=given, headers=keyed),
    ):
        assert reused.status_code == 422, reused.text
        assert reused.headers["content-type"] == "application/problem+json"
        assert reused.json()["type"].endswith("idempotency-key-reused")
    assert (await client.get(f"/v1/beneficiaries/{other}", headers=office)).json()["consents"] == []


def test_the_consent_endpoint_documents_its_idempotency_key() -> None:
    document = create_app(EnrolmentSettings(database_url="sqlite+aiosqlite://")).openapi()
    operation = document["paths"]["/v1/beneficiaries/{beneficiary_id}/consents"]["post"]
    assert any(p["in"] == "header" and p["name"].lower() == "idempotency-key" for p in operation["parameters"])
    assert {"400", "409", "422"} <= set(operation["responses"])
