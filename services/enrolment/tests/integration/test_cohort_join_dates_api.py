"""A cohort member's own join date: given by the operator or defaulted, refused out of its bounds with a problem
naming `joined_on`, shown on the person's pathway and published on `cohort.member_added`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from enrolment_service.adapters.tables import kit
from hope_contracts.vocabulary import OrgKind
from hope_infra.testing import outbox_events
from hopekit.testing import TokenIssuer

from .conftest import Partners
from .test_step_four_api import AFPA, AKTO, OFII, SCHOOL, TODAY, as_

pytestmark = pytest.mark.integration

MEMBER_ADDED = "fr.hope.enrolment.cohort.member_added.v1"
UNDER_WAY_SINCE = TODAY - timedelta(days=20)


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


async def a_cohort(client: httpx.AsyncClient, issuer: TokenIssuer, starts_on: date) -> str:
    body = {
        "name": "Logistique Le Havre",
        "sector_code": "logistics",
        "region": "28",
        "training_provider_org_id": str(SCHOOL),
        "support_provider_org_id": str(AFPA),
        "capacity": 10,
        "french_qualification_starts_on": starts_on.isoformat(),
    }
    created = await client.post("/v1/cohorts", json=body, headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def a_candidate(client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any) -> str:
    """A person whose prerequisites are validated today and who chose logistics."""
    ofii = as_(issuer, OrgKind.IMMIGRATION_OFFICE, OFII)
    person = str((await client.post("/v1/beneficiaries", json=registration(), headers=ofii)).json()["id"])
    path = f"/v1/beneficiaries/{person}/pathway"
    assert (await client.post(f"{path}/prerequisites", json=prerequisites(), headers=ofii)).status_code == 200
    chosen = await client.put(
        f"{path}/sector", json={"sector_code": "logistics"}, headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO)
    )
    assert chosen.status_code == 200, chosen.text
    return person


async def add(client: httpx.AsyncClient, issuer: TokenIssuer, cohort: str, person: str, **body: Any) -> httpx.Response:
    return await client.post(
        f"/v1/cohorts/{cohort}/members",
        json={"beneficiary_id": person, **body},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )


async def joined_on(client: httpx.AsyncClient, issuer: TokenIssuer, person: str) -> str | None:
    read = await client.get(f"/v1/beneficiaries/{person}", headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO))
    assert read.status_code == 200, read.text
    return read.json()["pathway"]["cohort_joined_on"]  # type: ignore[no-any-return]


async def test_a_late_joiner_gets_their_own_join_date_shown_and_published(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database_url: str
) -> None:
    cohort = await a_cohort(client, issuer, UNDER_WAY_SINCE)
    given, defaulted = [await a_candidate(client, issuer, registration, prerequisites) for _ in range(2)]

    assert (await add(client, issuer, cohort, given, joined_on=TODAY.isoformat())).status_code == 200
    assert (await add(client, issuer, cohort, defaulted)).status_code == 200

    assert await joined_on(client, issuer, given) == TODAY.isoformat()
    assert await joined_on(client, issuer, defaulted) == TODAY.isoformat()
    published = {e["beneficiary_id"]: e for e in await outbox_events(database_url, kit, MEMBER_ADDED)}
    assert published[given]["joined_on"] == published[defaulted]["joined_on"] == TODAY.isoformat()
    assert published[given]["cohort_id"] == cohort


async def test_a_person_added_before_the_cohort_starts_joins_on_its_first_day(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database_url: str
) -> None:
    first_day = TODAY + timedelta(days=60)
    cohort = await a_cohort(client, issuer, first_day)
    person = await a_candidate(client, issuer, registration, prerequisites)

    assert (await add(client, issuer, cohort, person)).status_code == 200

    assert await joined_on(client, issuer, person) == first_day.isoformat()
    published = {e["beneficiary_id"]: e for e in await outbox_events(database_url, kit, MEMBER_ADDED)}
    assert published[person]["joined_on"] == first_day.isoformat()


@pytest.mark.parametrize(
    ("joined", "reason"),
    [
        (UNDER_WAY_SINCE - timedelta(days=1), "before the cohort's first day"),
        (TODAY - timedelta(days=1), "before the person's prerequisites were validated"),
        (TODAY + timedelta(days=31), "more than 30 days after"),
    ],
)
async def test_a_join_date_out_of_bounds_is_a_problem_naming_joined_on_and_adds_no_one(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database_url: str,
    joined: date,
    reason: str,
) -> None:
    cohort = await a_cohort(client, issuer, UNDER_WAY_SINCE)
    person = await a_candidate(client, issuer, registration, prerequisites)

    refused = await add(client, issuer, cohort, person, joined_on=joined.isoformat())

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    errors = refused.json()["errors"]
    # A day before the cohort's first day is here also before the person's prerequisites: both are said at once.
    assert {error["field"] for error in errors} == {"joined_on"}
    assert any(reason in error["message"] for error in errors), errors
    assert await joined_on(client, issuer, person) is None
    assert person not in {e["beneficiary_id"] for e in await outbox_events(database_url, kit, MEMBER_ADDED)}


async def test_adding_a_member_again_with_another_join_date_is_a_conflict(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any
) -> None:
    cohort = await a_cohort(client, issuer, UNDER_WAY_SINCE)
    person = await a_candidate(client, issuer, registration, prerequisites)
    assert (await add(client, issuer, cohort, person, joined_on=TODAY.isoformat())).status_code == 200

    again = await add(client, issuer, cohort, person)
    other = await add(client, issuer, cohort, person, joined_on=(TODAY + timedelta(days=1)).isoformat())

    assert again.status_code == 200
    assert other.status_code == 409, other.text
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["joined_on"] == TODAY.isoformat()
    assert await joined_on(client, issuer, person) == TODAY.isoformat()
