"""A cohort's calendar from enrolment's events sets when a person's step ends, on SQLite and PostgreSQL: the housing
gap list uses it (the referent's hand entry only where the calendar has no end), a changed calendar replaces it
whole, and an older calendar arriving late changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from hope_contracts import enrolment
from hopekit.identity.principal import Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver
from .support import Programme, cohort_created, step_started

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def calendar(step_3_ends: int | None) -> tuple[enrolment.StepPeriod, ...]:
    return (
        enrolment.StepPeriod(step=3, starts_on=day(-10), ends_on=None if step_3_ends is None else day(step_3_ends)),
        enrolment.StepPeriod(step=4, starts_on=day(200)),
    )


def changed(cohort: uuid.UUID, step_3_ends: int | None, at: datetime) -> enrolment.CohortCalendarChanged:
    return enrolment.CohortCalendarChanged(cohort_id=cohort, calendar=calendar(step_3_ends), occurred_at=at)


async def gap_of(programme: Programme, org: uuid.UUID, person: uuid.UUID) -> dict[str, str] | None:
    listed = await programme.client.get(f"/v1/housing-gaps?today={TODAY}", headers=programme.support(org, Role.READER))
    assert listed.status_code == 200, listed.text
    return next((item for item in listed.json()["items"] if item["beneficiary_id"] == str(person)), None)


async def test_the_cohort_calendar_says_when_the_step_ends_and_a_change_replaces_it(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await programme.partner(org)
    created = cohort_created(cohort, org).model_copy(update={"calendar": calendar(60)})
    assert await deliver(database, created)
    assert await deliver(database, step_started(person, 3, cohort))
    file_id = await programme.file_of(person, org)
    residence = await client.post(
        "/v1/residences",
        json={
            "label": "Résidence partenaire",
            "commune_code": "69123",
            "department_code": "69",
            "open_periods": [{"starts_on": day(-1).isoformat(), "ends_on": day(400).isoformat()}],
            "rooms": [{"room": "B2", "beds": 1}],
        },
        headers=programme.support(org, Role.ADMIN),
    )
    bed = residence.json()["beds"][0]["id"]
    placed = await client.post(
        "/v1/placements",
        json={
            "beneficiary_id": str(person),
            "bed_id": bed,
            "starts_on": day(0).isoformat(),
            "ends_on": day(30).isoformat(),
        },
        headers=programme.support(org),
    )
    assert placed.status_code == 201, placed.text

    # Housed for 30 nights of a step that ends in 60 days by the calendar: a gap, with no hand entry at all.
    gap = await gap_of(programme, org, person)
    assert gap is not None
    assert (gap["kind"], gap["uncovered_from"], gap["step_ends_on"]) == (
        "placement_ends_before_step",
        day(30).isoformat(),
        day(60).isoformat(),
    )
    # A hand entry does not override the calendar.
    entered = await client.put(
        f"/v1/files/{file_id}/step-end", json={"step_ends_on": day(90).isoformat()}, headers=programme.support(org)
    )
    assert entered.status_code == 204, entered.text
    assert (await gap_of(programme, org, person) or {})["step_ends_on"] == day(60).isoformat()

    # Enrolment moves the step's end to day 30: the placement covers it, no gap.
    later = datetime.now(UTC)
    assert await deliver(database, changed(cohort, 30, later))
    assert await gap_of(programme, org, person) is None
    # The earlier calendar arriving late (older event) changes nothing.
    assert await deliver(database, changed(cohort, 60, later - timedelta(hours=1)))
    assert await gap_of(programme, org, person) is None

    # A calendar without an end for step 3: the referent's entry (day 90) is what the gap list goes by.
    assert await deliver(database, changed(cohort, None, later + timedelta(hours=1)))
    gap = await gap_of(programme, org, person)
    assert gap is not None
    assert gap["step_ends_on"] == day(90).isoformat()
