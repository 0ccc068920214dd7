"""The housing gap list on SQLite and PostgreSQL: a person in step 3 without a bed for the coming week, or whose
placement ends before the step does, is listed once; covered people and other organisations' people are not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hope_contracts import enrolment
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver
from .support import Programme, assert_problem, raw_rows

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
    beds = [bed["id"] for bed in (await programme.residence(org, 2, day(-1), day(400)))["beds"]]
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


async def test_stays_ending_starting_or_following_each_other_mid_week_and_withdrawn_people(
    programme: Programme, database: Database, database_url: str
) -> None:
    """Stays that follow each other through the week cover it; one ending or starting mid-week leaves the nights
    around it uncovered; a withdrawn person (file closed, stay ended) is no longer listed."""
    org = uuid.uuid4()
    today = datetime.now(UTC).date()
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    writer = programme.support(org)
    people = {name: await programme.person_in_step_3(org) for name in ("relay", "leaves", "arrives", "withdrawn")}
    for _, file_id in people.values():
        answer = await programme.client.put(
            f"/v1/files/{file_id}/step-end", json={"step_ends_on": day(20)}, headers=writer
        )
        assert answer.status_code == 204, answer.text
    beds = [bed["id"] for bed in (await programme.residence(org, 6, day(-1), day(400)))["beds"]]
    stays = {
        "relay": [(0, 3), (3, 20)],  # two stays, the second from the morning the first ends
        "leaves": [(0, 4)],  # leaves on the fifth morning of the week
        "arrives": [(2, 20)],  # arrives on the third night
        "withdrawn": [(0, 20)],
    }
    beds_left = iter(beds)
    for name, spans in stays.items():
        for first, last in spans:
            placed = await programme.client.post(
                "/v1/placements",
                json={
                    "beneficiary_id": str(people[name][0]),
                    "bed_id": next(beds_left),
                    "starts_on": day(first),
                    "ends_on": day(last),
                },
                headers=writer,
            )
            assert placed.status_code == 201, placed.text
    withdrawn = enrolment.BeneficiaryWithdrawn(
        beneficiary_id=people["withdrawn"][0],
        reason="personal",
        from_status="french_qualification",
        last_step=3,
        occurred_at=datetime.now(UTC),
    )
    assert await deliver(database, withdrawn)

    listed = await programme.client.get(f"/v1/housing-gaps?today={day(0)}", headers=writer)
    assert listed.status_code == 200, listed.text
    assert [(item["beneficiary_id"], item["kind"], item["uncovered_from"]) for item in listed.json()["items"]] == [
        (str(people["arrives"][0]), "placement_ends_before_step", day(0)),
        (str(people["leaves"][0]), "placement_ends_before_step", day(4)),
    ]
    audited = await raw_rows(database_url, "SELECT * FROM audit_log WHERE action = 'list_housing_gaps'")
    assert len(audited) == 1


async def test_the_list_comes_a_page_at_a_time_and_by_cohort(programme: Programme) -> None:
    org = uuid.uuid4()
    people = [(await programme.person_in_step_3(org))[0] for _ in range(5)]
    reader = programme.support(org, Role.READER)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = await programme.client.get(
            "/v1/housing-gaps", params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=reader
        )
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 2
        seen.extend(item["beneficiary_id"] for item in page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(str(person) for person in people)  # all from today: then by person

    [person] = people[:1]
    cohort = await _cohort_of(programme, org, person)
    one = await programme.client.get(f"/v1/housing-gaps?cohort_id={cohort}", headers=reader)
    assert [item["beneficiary_id"] for item in one.json()["items"]] == [str(person)]

    assert_problem(await programme.client.get("/v1/housing-gaps?cursor=bm90LWEtY3Vyc29y", headers=reader), 400)
    assert_problem(await programme.client.get("/v1/housing-gaps?limit=0", headers=reader), 422)


async def _cohort_of(programme: Programme, org: uuid.UUID, person: uuid.UUID) -> str:
    listed = await programme.client.get(
        f"/v1/files?beneficiary_id={person}", headers=programme.support(org, Role.READER)
    )
    cohort: str = listed.json()["items"][0]["cohort_id"]
    return cohort
