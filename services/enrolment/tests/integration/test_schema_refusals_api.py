"""What the OpenAPI document now says is invalid (a withdrawal without its reason, an unknown sector or region, an
empty cursor) is refused with a problem document naming the field, as the document promises."""

from __future__ import annotations

import uuid

import httpx
import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


def operator(issuer: TokenIssuer) -> dict[str, str]:
    return issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN)


def refused_fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    return [error["field"] for error in response.json()["errors"]]


async def test_a_withdrawal_without_its_reason_is_refused_naming_the_field(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    answer = await client.post(
        f"/v1/beneficiaries/{uuid.uuid4()}/pathway/transitions", json={"action": "withdraw"}, headers=operator(issuer)
    )

    assert refused_fields(answer) == ["withdrawal_reason"]


async def test_the_document_says_a_withdrawal_needs_its_reason(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]["TransitionRequest"]

    withdrawal, waiver = schema["allOf"]
    assert withdrawal["if"]["properties"]["action"] == {"const": "withdraw"}
    assert withdrawal["then"]["required"] == ["withdrawal_reason"]
    assert waiver["if"]["required"] == ["hours_waiver_reason"]
    assert waiver["then"]["properties"]["action"] == {"const": "start_trade_qualification"}


async def test_the_document_lists_the_hold_reasons_and_a_free_code_is_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    assert set(schemas["HoldReason"]["enum"]) == {
        "training_break",
        "personal",
        "administrative",
        "employment",
        "health",
        "other",
    }
    answer = await client.post(
        f"/v1/beneficiaries/{uuid.uuid4()}/pathway/transitions",
        json={"action": "put_on_hold", "reason_code": "pregnancy_tuberculosis"},
        headers=operator(issuer),
    )
    assert refused_fields(answer) == ["reason_code"]


async def test_an_unknown_sector_is_refused_and_the_document_lists_the_known_ones(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    answer = await client.put(
        f"/v1/beneficiaries/{uuid.uuid4()}/pathway/sector", json={"sector_code": "piracy"}, headers=operator(issuer)
    )
    sectors = (await client.get("/v1/sectors", headers=operator(issuer))).json()
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]["SectorChoice"]

    assert refused_fields(answer) == ["sector_code"]
    assert schema["properties"]["sector_code"]["enum"] == [sector["code"] for sector in sectors]


async def test_a_cohort_with_several_faults_hears_of_all_of_them(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    body = {
        "name": "HOPE Lyon",
        "sector_code": "construction",
        "region": "99",
        "training_provider_org_id": str(uuid.uuid4()),
        "support_provider_org_id": str(uuid.uuid4()),
        "capacity": 10,
        "french_qualification_starts_on": "2026-09-01",
        "trade_qualification_starts_on": "2026-05-01",
    }

    answer = await client.post("/v1/cohorts", json=body, headers=operator(issuer))

    # Providers the gateway never registered are faults too, heard in the same answer.
    assert refused_fields(answer) == [
        "trade_qualification_starts_on",
        "region",
        "training_provider_org_id",
        "support_provider_org_id",
    ]


async def test_an_empty_cursor_is_refused_as_the_document_says(client: httpx.AsyncClient, issuer: TokenIssuer) -> None:
    answer = await client.get("/v1/cohorts", params={"cursor": ""}, headers=operator(issuer))
    documented = (await client.get("/openapi.json")).json()["paths"]["/v1/cohorts"]["get"]["parameters"]

    assert answer.status_code == 400
    assert answer.headers["content-type"] == PROBLEM
    assert next(p for p in documented if p["name"] == "cursor")["schema"]["minLength"] == 1
