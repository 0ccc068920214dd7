"""Housing on SQLite and PostgreSQL: a bed is never given to two people on the same night, even to two concurrent
requests for the last bed; released beds are free from the release night; withdrawal frees them too."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import enrolment
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver
from .support import Programme, assert_problem, outbox

pytestmark = pytest.mark.integration

SEPT = {"starts_on": "2026-09-01", "ends_on": "2026-10-01"}


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)


async def residence(programme: Programme, org: uuid.UUID, beds: int = 1) -> dict[str, Any]:
    return await programme.residence(org, beds)


async def place(programme: Programme, org: uuid.UUID, person: uuid.UUID, bed: str, **nights: str) -> httpx.Response:
    body = {"beneficiary_id": str(person), "bed_id": bed, **(nights or SEPT)}
    return await programme.client.post("/v1/placements", json=body, headers=programme.support(org))


async def test_two_concurrent_requests_for_the_last_bed_give_one_placement_and_one_conflict(
    programme: Programme,
) -> None:
    org = uuid.uuid4()
    first, _ = await programme.person_in_step_3(org)
    second, _ = await programme.person_in_step_3(org)
    bed = (await residence(programme, org))["beds"][0]["id"]

    answers = await asyncio.gather(place(programme, org, first, bed), place(programme, org, second, bed))

    assert sorted(a.status_code for a in answers) == [201, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert_problem(refused, 409, "bed-taken")


async def test_a_bed_is_free_again_from_the_night_it_is_released(programme: Programme, database_url: str) -> None:
    org = uuid.uuid4()
    first, _ = await programme.person_in_step_3(org)
    second, _ = await programme.person_in_step_3(org)
    bed = (await residence(programme, org))["beds"][0]["id"]
    placed = await place(programme, org, first, bed)
    assert placed.status_code == 201
    assert_problem(await place(programme, org, second, bed, starts_on="2026-09-20", ends_on="2026-10-10"), 409)

    released = await programme.client.post(
        f"/v1/placements/{placed.json()['id']}/release", json={"on": "2026-09-20"}, headers=programme.support(org)
    )
    assert released.status_code == 200, released.text
    assert (released.json()["status"], released.json()["ends_on"]) == ("ended", "2026-09-20")
    again = await place(programme, org, second, bed, starts_on="2026-09-20", ends_on="2026-10-10")
    assert again.status_code == 201, again.text
    types = [event["type"] for event in await outbox(database_url)]
    assert types.count("fr.hope.support.housing.assigned.v1") == 2
    assert types.count("fr.hope.support.housing.released.v1") == 1


async def test_a_person_cannot_hold_two_beds_on_the_same_night(programme: Programme) -> None:
    org = uuid.uuid4()
    person, _ = await programme.person_in_step_3(org)
    beds = (await residence(programme, org, beds=2))["beds"]
    assert (await place(programme, org, person, beds[0]["id"])).status_code == 201
    assert_problem(await place(programme, org, person, beds[1]["id"]), 409, "already-housed")


async def test_withdrawal_ends_the_placement_at_that_date_and_frees_the_bed(
    programme: Programme, database: Database
) -> None:
    org = uuid.uuid4()
    person, _ = await programme.person_in_step_3(org)
    other, _ = await programme.person_in_step_3(org)
    bed = (await residence(programme, org))["beds"][0]["id"]
    assert (await place(programme, org, person, bed)).status_code == 201

    withdrawn = enrolment.BeneficiaryWithdrawn(
        beneficiary_id=person,
        reason="personal",
        from_status="french_qualification",
        last_step=3,
        occurred_at=datetime(2026, 9, 10, 8, tzinfo=UTC),
    )
    assert await deliver(database, withdrawn)

    assert (await place(programme, org, other, bed, starts_on="2026-09-10", ends_on="2026-09-30")).status_code == 201


async def test_only_the_residences_organisation_gives_its_beds_to_people_it_supports(programme: Programme) -> None:
    org, other_org = uuid.uuid4(), uuid.uuid4()
    person, _ = await programme.person_in_step_3(org)
    stranger, _ = await programme.person_in_step_3(other_org)
    bed = (await residence(programme, org))["beds"][0]["id"]
    assert_problem(await place(programme, other_org, stranger, bed), 404)
    assert_problem(await place(programme, org, stranger, bed), 403)
    refused = await programme.client.post(
        "/v1/placements",
        json={"beneficiary_id": str(person), "bed_id": bed, **SEPT},
        headers=programme.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN),
    )
    assert_problem(refused, 404)


async def test_nights_outside_the_residences_open_periods_or_backwards_are_refused(programme: Programme) -> None:
    org = uuid.uuid4()
    person, _ = await programme.person_in_step_3(org)
    bed = (await residence(programme, org))["beds"][0]["id"]
    assert_problem(
        await place(programme, org, person, bed, starts_on="2026-12-20", ends_on="2027-01-05"), 422, "residence-closed"
    )
    assert_problem(await place(programme, org, person, bed, starts_on="2026-09-05", ends_on="2026-09-01"), 400)
    assert_problem(await place(programme, org, person, bed, starts_on="2026-09-05", ends_on="2026-09-05"), 400)


async def test_on_postgresql_the_database_itself_refuses_a_bed_shared_on_one_night(postgres_url: str) -> None:
    """The exclusion constraint over date ranges (btree_gist) holds even for a writer that skips the service."""
    bed, residence_id, org = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    insert = text(
        "INSERT INTO placements (id, beneficiary_id, residence_id, bed_id, starts_on, ends_on, status, assigned_at,"
        " assigned_by_org_id) VALUES (:id, :person, :residence, :bed, :starts, :ends, 'planned', now(), :org)"
    )

    def row(starts: date, ends: date) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "person": uuid.uuid4(),
            "residence": residence_id,
            "bed": bed,
            "starts": starts,
            "ends": ends,
            "org": org,
        }

    engine = create_async_engine(postgres_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert, row(date(2026, 9, 1), date(2026, 9, 10)))
            # Leaving the morning another arrives shares no night; an empty range shares none.
            await connection.execute(insert, row(date(2026, 9, 10), date(2026, 9, 20)))
            await connection.execute(insert, row(date(2026, 9, 5), date(2026, 9, 5)))
        with pytest.raises(IntegrityError, match="ex_placements_bed_night"):
            async with engine.begin() as connection:
                await connection.execute(insert, row(date(2026, 9, 19), date(2026, 9, 21)))
    finally:
        await engine.dispose()
