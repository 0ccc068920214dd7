"""A cohort's providers are partner organisations the gateway registered: active, and of the right kind.
Enrolment knows them from the gateway's events (its partner projection), never from the request alone."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer

from .conftest import Partners

pytestmark = pytest.mark.integration

AKTO = uuid.uuid4()


def cohort_body(training: uuid.UUID, support: uuid.UUID) -> dict[str, Any]:
    return {
        "name": "Logistique Lyon 2027",
        "sector_code": "logistics",
        "region": "84",
        "training_provider_org_id": str(training),
        "support_provider_org_id": str(support),
        "capacity": 8,
    }


async def create(client: httpx.AsyncClient, issuer: TokenIssuer, body: dict[str, Any]) -> httpx.Response:
    return await client.post(
        "/v1/cohorts", json=body, headers=issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.WRITER, org_id=AKTO)
    )


def refused_fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


async def test_a_cohort_with_an_active_training_and_support_provider_is_created(
    client: httpx.AsyncClient, issuer: TokenIssuer, partners_of: Partners
) -> None:
    school, etti = uuid.uuid4(), uuid.uuid4()
    await partners_of({school: OrgKind.TRAINING_PROVIDER, etti: OrgKind.SUPPORT_PROVIDER})

    response = await create(client, issuer, cohort_body(school, etti))

    assert response.status_code == 201, response.text


async def test_an_employer_named_as_training_provider_is_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer, partners_of: Partners
) -> None:
    employer, etti = uuid.uuid4(), uuid.uuid4()
    await partners_of({employer: OrgKind.EMPLOYER, etti: OrgKind.SUPPORT_PROVIDER})

    response = await create(client, issuer, cohort_body(employer, etti))

    assert refused_fields(response) == ["training_provider_org_id"]


async def test_organisations_the_gateway_never_registered_are_refused_both(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    response = await create(client, issuer, cohort_body(uuid.uuid4(), uuid.uuid4()))

    assert refused_fields(response) == ["training_provider_org_id", "support_provider_org_id"]


async def test_a_training_provider_named_as_support_provider_is_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer, partners_of: Partners
) -> None:
    school = uuid.uuid4()
    await partners_of({school: OrgKind.TRAINING_PROVIDER})

    response = await create(client, issuer, cohort_body(school, school))

    assert refused_fields(response) == ["support_provider_org_id"]


async def test_a_deactivated_provider_is_refused(
    client: httpx.AsyncClient, issuer: TokenIssuer, partners_of: Partners
) -> None:
    school, etti = uuid.uuid4(), uuid.uuid4()
    await partners_of({etti: OrgKind.SUPPORT_PROVIDER})
    await partners_of({school: OrgKind.TRAINING_PROVIDER}, active=False)

    response = await create(client, issuer, cohort_body(school, etti))

    assert refused_fields(response) == ["training_provider_org_id"]
