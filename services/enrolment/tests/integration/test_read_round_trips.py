"""What an audited read costs the database: a read is mostly round trips, so their number is held here."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from enrolment_service.adapters.tables import kit
from enrolment_service.main import create_app
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer, running, statements_sent

from .conftest import settings_for

pytestmark = pytest.mark.integration


async def test_a_read_sends_two_statements_and_answers_with_the_history_and_consents_in_order(
    database_url: str, issuer: TokenIssuer, registration: Any
) -> None:
    office = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, org_id=uuid.uuid4())
    operator = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.WRITER, org_id=uuid.uuid4())
    app = create_app(settings_for(database_url, issuer))
    async with running(app) as client:
        person = (await client.post("/v1/beneficiaries", json=registration(), headers=office)).json()["id"]
        for action in ("start_prerequisites", "put_on_hold"):
            body = {"action": action, "reason_code": "health"} if action == "put_on_hold" else {"action": action}
            moved = await client.post(f"/v1/beneficiaries/{person}/pathway/transitions", json=body, headers=operator)
            assert moved.status_code == 200, moved.text
        for purpose, given in (("data_sharing_with_partners", True), ("data_sharing_with_partners", False)):
            consent = await client.post(
                f"/v1/beneficiaries/{person}/consents", json={"purpose": purpose, "given": given}, headers=office
            )
            assert consent.status_code == 201, consent.text

        with statements_sent(app.state.database.engine) as sent:
            read = await client.get(f"/v1/beneficiaries/{person}", headers=office)
        statements = [statement.split(None, 1)[0].upper() for statement in sent]

        assert read.status_code == 200, read.text
        # The person with their history and consents in one statement, then the audit row (a read runs without
        # BEGIN and COMMIT); on PostgreSQL, the kit hands that INSERT to asyncpg itself (hopekit.db.driver).
        on_postgres = app.state.database.engine.dialect.name == "postgresql"
        assert statements == (["SELECT"] if on_postgres else ["SELECT", "INSERT"])
        found = read.json()
        assert [step["to_status"] for step in found["pathway"]["history"]] == [
            "registered",
            "prerequisites",
            "on_hold",
        ]
        assert [consent["given"] for consent in found["consents"]] == [True, False]
        async with app.state.database.engine.connect() as connection:
            audit = kit.audit
            recorded = await connection.scalar(
                select(audit.c.object_id).where(audit.c.action == "read", audit.c.object_id == person)
            )
        assert recorded == person
