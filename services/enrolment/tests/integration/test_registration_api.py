"""Registration and reads over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from enrolment_service.adapters.tables import kit
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer

pytestmark = pytest.mark.integration

OFII = uuid.uuid4()


def ofii(issuer: TokenIssuer, *roles: Role) -> dict[str, str]:
    return issuer.headers(OrgKind.IMMIGRATION_OFFICE, *(roles or (Role.WRITER,)), org_id=OFII)


async def outbox_types(database_url: str) -> list[str]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list(await connection.scalars(select(kit.outbox.c.type).order_by(kit.outbox.c.position)))
    finally:
        await engine.dispose()


async def test_registration_creates_the_beneficiary_and_one_event(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database_url: str
) -> None:
    response = await client.post("/v1/beneficiaries", json=registration(), headers=ofii(issuer))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["given_name"] == "Amina"
    assert body["pathway"]["status"] == "registered"
    assert body["pathway"]["allowed_actions"] == [
        "start_prerequisites",
        "validate_prerequisites",
        "choose_sector",
        "put_on_hold",
        "withdraw",
    ]
    assert body["pathway"]["history"][0]["to_status"] == "registered"
    assert await outbox_types(database_url) == ["fr.hope.enrolment.beneficiary.registered.v1"]

    read = await client.get(f"/v1/beneficiaries/{body['id']}", headers=ofii(issuer, Role.READER))
    assert read.status_code == 200
    assert read.json()["ofii_number"] == body["ofii_number"]


async def test_duplicate_registration_is_answered_409_with_the_existing_id(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any
) -> None:
    first = await client.post("/v1/beneficiaries", json=registration(), headers=ofii(issuer))
    same_ofii = registration(ofii_number=first.json()["ofii_number"])
    same_person = registration(family_name=first.json()["family_name"].upper(), given_name="AMÏNA", ofii_number=None)

    for body in (same_ofii, same_person):
        response = await client.post("/v1/beneficiaries", json=body, headers=ofii(issuer))
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["existing_id"] == first.json()["id"]


async def test_idempotency_key_retry_returns_the_first_result_and_creates_nothing(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database_url: str
) -> None:
    body = registration()
    headers = {**ofii(issuer), "Idempotency-Key": "register-0001"}
    first = await client.post("/v1/beneficiaries", json=body, headers=headers)
    retry = await client.post("/v1/beneficiaries", json=body, headers=headers)
    other = await client.post("/v1/beneficiaries", json=registration(), headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert await outbox_types(database_url) == ["fr.hope.enrolment.beneficiary.registered.v1"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"given_name": None}, "given_name"),
        ({"birth_date": "not-a-date"}, "birth_date"),
        ({"spoken_languages": "ar"}, "spoken_languages"),
        ({"nickname": "Ami"}, "nickname"),
        ({"family_name": "x" * 101}, "family_name"),
        ({"family_name": "Had\x00dad"}, "family_name"),
        ({"protection_status": "tourist"}, "protection_status"),
        ({"ofii_number": "12345"}, "ofii_number"),
        ({"phone": "0" * 21}, "phone"),
        ({"email": "a" * 250 + "@x.fr"}, "email"),
        ({"email": "amina@\x07example.org"}, "email"),
    ],
)
async def test_bad_input_gets_a_problem_naming_the_field(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, change: dict[str, Any], field: str
) -> None:
    body = registration()
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}

    response = await client.post("/v1/beneficiaries", json=body, headers=ofii(issuer))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"] == "urn:hope:problem:validation"
    assert field in [error["field"] for error in problem["errors"]]
    assert "Had\x00dad" not in response.text


async def test_missing_body_and_malformed_json_and_bad_numbers_are_4xx(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    headers = ofii(issuer)
    malformed = await client.post(
        "/v1/beneficiaries", content=b"{not json", headers={**headers, "content-type": "application/json"}
    )
    empty = await client.post("/v1/beneficiaries", json={}, headers=headers)
    huge_limit = await client.get("/v1/beneficiaries?limit=100000", headers=headers)
    bad_id = await client.get("/v1/beneficiaries/not-a-uuid", headers=headers)
    bad_cursor = await client.get("/v1/beneficiaries?cursor=%%%", headers=headers)

    assert malformed.status_code == 400
    assert empty.status_code == 422
    assert {e["field"] for e in empty.json()["errors"]} >= {"given_name", "family_name", "birth_date"}
    assert huge_limit.status_code == 422
    assert bad_id.status_code == 422
    assert bad_cursor.status_code == 400
    for response in (malformed, empty, huge_limit, bad_id, bad_cursor):
        assert response.headers["content-type"] == "application/problem+json"


async def test_out_of_range_hours_and_oversized_body_are_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any
) -> None:
    created = (await client.post("/v1/beneficiaries", json=registration(), headers=ofii(issuer))).json()
    url = f"/v1/beneficiaries/{created['id']}/pathway/prerequisites"

    too_few = await client.post(url, json=prerequisites("199.99"), headers=ofii(issuer))
    absurd = await client.post(url, json=prerequisites("1e9"), headers=ofii(issuer))
    oversized = await client.post(
        "/v1/beneficiaries",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={**ofii(issuer), "content-type": "application/json"},
    )

    assert too_few.status_code == 422
    assert too_few.json()["errors"][0]["field"] == "ofii_hours"
    assert absurd.status_code == 422
    assert oversized.status_code == 413


async def test_every_call_needs_a_valid_token(client: httpx.AsyncClient, issuer: TokenIssuer) -> None:
    anonymous = await client.get("/v1/beneficiaries")
    garbage = await client.get("/v1/beneficiaries", headers={"Authorization": "Bearer abc.def.ghi"})
    in_query = await client.get(
        f"/v1/beneficiaries?access_token={issuer.token(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN)}"
    )

    for response in (anonymous, garbage, in_query):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"] == "application/problem+json"


async def test_request_id_is_kept_and_a_trace_is_propagated(client: httpx.AsyncClient, issuer: TokenIssuer) -> None:
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    response = await client.get(
        "/v1/sectors", headers={**ofii(issuer), "X-Request-ID": "req-123", "traceparent": traceparent}
    )

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-123"
    assert response.headers["traceparent"] == traceparent
    assert {sector["code"] for sector in response.json()} >= {"construction", "logistics", "care"}
