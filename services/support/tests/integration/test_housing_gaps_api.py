"""The housing gap list on SQLite and PostgreSQL: a person in step 3 without a bed for the coming week, or whose
placement ends before the step does, is listed once; covered people and other organisations' people are not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme, assert_problem

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)


async def test_people_without_a_bed_for_the_week_or_until_their_step_ends_are_listed(programme: Programme) -> None:
    org, other_org = uuid.uuid4(), uuid.uuid4()
    today = datetime.now(UTC).date()
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    writer = programme.support(org)
    homeless, _ = await programme.person_in_step_3(org)
    short, short_file = await programme.person_in_step_3(org)
    covered, covered_file = await programme.person_in_step_3(org)
    await programme.person_in_step_3(other_org)
    for file_id in (short_file, covered_file):
        answer = await programme.client.put(
            f"/v1/files/{file_id}/step-end", json={"step_ends_on": day(60)}, headers=writer
        )
        assert answer.status_code == 204, answer.text
    residence = await programme.client.post(
        "/v1/residences",
        json={
            "label": "Résidence partenaire",
            "commune_code": "69123",
            "department_code": "69",
            "open_periods": [{"starts_on": day(-1), "ends_on": day(400)}],
            "rooms": [{"room": "B2", "beds": 2}],
        },
        headers=programme.support(org, Role.ADMIN),
    )
    beds = [bed["id"] for bed in residence.json()["beds"]]
    for person, bed, until in ((short, beds[0], 30), (covered, beds[1], 60)):
        placed = await programme.client.post(
            "/v1/placements",
            json={"beneficiary_id": str(person), "bed_id": bed, "starts_on": day(0), "ends_on": day(until)},
            headers=writer,
        )
        assert placed.status_code == 201, placed.text

    listed = await programme.client.get(f"/v1/housing-gaps?today={day(0)}", headers=writer)
    assert listed.status_code == 200, listed.text
    found = {item["beneficiary_id"]: item for item in listed.json()["items"]}
    assert set(found) == {str(homeless), str(short)}
    assert (found[str(homeless)]["kind"], found[str(homeless)]["uncovered_from"]) == (
        "no_placement_coming_week",
        day(0),
    )
    assert (found[str(short)]["kind"], found[str(short)]["uncovered_from"]) == ("placement_ends_before_step", day(30))

    operator = await programme.client.get(
        "/v1/housing-gaps", headers=programme.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    )
    assert len(operator.json()["items"]) == 3  # the other organisation's person too
    employer = await programme.client.get("/v1/housing-gaps", headers=programme.headers(OrgKind.EMPLOYER, Role.ADMIN))
    assert employer.json()["items"] == []
    other = programme.support(other_org)
    assert_problem(
        await programme.client.put(f"/v1/files/{short_file}/step-end", json={"step_ends_on": day(9)}, headers=other),
        404,
    )
