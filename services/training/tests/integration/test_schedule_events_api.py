"""A course's plan and its sessions reach the outbox with the change that made them, on SQLite and PostgreSQL:
funding commits and reporting counts from the planned hours, support entitles meals from the session days."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hope_contracts import enrolment
from hope_contracts.vocabulary import Role
from hope_infra.testing import assert_problem
from hopekit.uow import Database
from training_service.adapters.tables import kit

from .programme import SCHEDULED, SESSIONS_SCHEDULED, Programme, days_ago, outbox, today

pytestmark = pytest.mark.integration


def _timeless(event: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key != "occurred_at"}


async def _outbox_keys(database: Database, event_type: str) -> list[str]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(kit.outbox.c.key).where(kit.outbox.c.type == event_type).order_by(kit.outbox.c.position)
        )
        return [str(row.key) for row in rows]


async def test_an_opened_course_is_scheduled_whole_with_its_planned_hours_and_dates(
    programme: Programme, database_url: str, database: Database
) -> None:
    group = await programme.cohort(size=1, step=4)
    course = await programme.course(step=4, cohort=group, planned_hours="420.5", support_french_hours="30")
    person = await programme.individual(step=3)
    alone = await programme.course(step=3, person=person)

    events = await outbox(database_url, SCHEDULED)
    assert [event["course_id"] for event in events] == [course["id"], alone["id"]]
    cohort_event, person_event = events
    assert _timeless(cohort_event) == {
        "type": SCHEDULED,
        "course_id": course["id"],
        "step": 4,
        "cohort_id": str(group.id),
        "beneficiary_id": None,
        "provider_org_id": course["provider_org_id"],
        "planned_hours": "420.50",
        "starts_on": course["starts_on"],
        "ends_on": course["ends_on"],
    }
    assert (person_event["beneficiary_id"], person_event["cohort_id"]) == (str(person), None)
    assert person_event["planned_hours"] == "400.00"  # step 3's default, as the course has it
    # A cohort's course is keyed by the course; one person's by the person (their events stay in order).
    assert await _outbox_keys(database, SCHEDULED) == [course["id"], str(person)]


async def test_a_refused_course_schedules_nothing(programme: Programme, database_url: str) -> None:
    group = await programme.cohort(size=1)
    refused = await programme.http.post(
        "/v1/courses",
        json={
            "step": 3,
            "cohort_id": str(group.id),
            "provider_org_id": str(uuid.uuid4()),
            "starts_on": days_ago(1),
            "ends_on": days_ago(0),
        },
        headers=programme.as_operator(),
    )
    assert_problem(refused, 422, "invalid-value")
    assert await outbox(database_url, SCHEDULED) == []


def _sessions(event: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [(s["held_on"], s["starts_at"], s["ends_at"], s["hours"], s["session_kind"]) for s in event["sessions"]]


async def test_each_adding_action_schedules_its_sessions_once_without_trainer_or_place(
    programme: Programme, database_url: str, database: Database
) -> None:
    group = await programme.cohort(size=1)
    course = await programme.course(cohort=group)
    one = await programme.session(
        course, days_ago(7), "09:00", "12:30", hours="3", trainer="Mme Martin", place="Salle B12, Lyon"
    )
    monday = today() - timedelta(days=today().weekday())
    pattern = {
        "from": (monday + timedelta(days=7)).isoformat(),
        "until": (monday + timedelta(days=20)).isoformat(),
        "weekdays": [0, 2],
        "days_off": [(monday + timedelta(days=9)).isoformat()],
        "starts_at": "14:00",
        "ends_at": "17:00",
        "kind": "french_support",
        "trainer": "M. Diallo",
    }
    headers = {**programme.as_school(), "Idempotency-Key": "weekly-french-support"}
    url = f"/v1/courses/{course['id']}/sessions/weekly"
    weekly = await programme.http.post(url, json=pattern, headers=headers)
    assert weekly.status_code == 201, weekly.text
    replayed = await programme.http.post(url, json=pattern, headers=headers)
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    outside = await programme.http.post(
        f"/v1/courses/{course['id']}/sessions",
        json={"held_on": (today() + timedelta(weeks=7)).isoformat(), "starts_at": "09:00", "ends_at": "12:00"},
        headers=programme.as_school(),
    )
    assert_problem(outside, 422, "session-outside-course")

    events = await outbox(database_url, SESSIONS_SCHEDULED)
    assert len(events) == 2  # one per adding action: the replay and the refused session add nothing
    single, pattern_event = events
    assert (single["course_id"], single["step"], single["cohort_id"]) == (course["id"], 3, str(group.id))
    assert [s["session_id"] for s in single["sessions"]] == [one["id"]]
    assert _sessions(single) == [(days_ago(7), "09:00:00", "12:30:00", "3.00", "core")]
    added = weekly.json()
    assert [s["session_id"] for s in pattern_event["sessions"]] == [s["id"] for s in added]
    days = [monday + timedelta(days=offset) for offset in (7, 14, 16)]  # the Wednesday of the first week is off
    assert _sessions(pattern_event) == [
        (day.isoformat(), "14:00:00", "17:00:00", "3.00", "french_support") for day in days
    ]
    assert not any(word in str(events) for word in ("Martin", "Diallo", "B12", "trainer", "place"))
    assert await _outbox_keys(database, SESSIONS_SCHEDULED) == [course["id"], course["id"]]


async def test_a_days_off_only_pattern_adds_no_session_and_sends_nothing(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=1)
    course = await programme.course(cohort=group)
    day = date.fromisoformat(days_ago(3))
    pattern = {
        "from": day.isoformat(),
        "until": day.isoformat(),
        "weekdays": [day.weekday()],
        "days_off": [day.isoformat()],
        "starts_at": "09:00",
        "ends_at": "12:00",
    }
    added = await programme.http.post(
        f"/v1/courses/{course['id']}/sessions/weekly", json=pattern, headers=programme.as_school()
    )
    assert added.status_code == 201, added.text
    assert added.json() == []
    assert await outbox(database_url, SESSIONS_SCHEDULED) == []


async def test_a_plan_change_is_published_whole_again_and_an_unchanged_plan_sends_nothing(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=1, step=4)
    course = await programme.course(step=4, cohort=group)
    url = f"/v1/courses/{course['id']}"
    later = (date.fromisoformat(course["ends_on"]) + timedelta(weeks=2)).isoformat()

    changed = await programme.http.patch(
        url, json={"planned_hours": "430", "ends_on": later}, headers=programme.as_school()
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["planned_hours"], changed.json()["ends_on"]) == ("430.00", later)
    assert (await programme.http.get(url, headers=programme.as_school())).json() == changed.json()
    same = await programme.http.patch(url, json={"planned_hours": "430.00"}, headers=programme.as_operator())
    assert same.status_code == 200, same.text

    opened, replanned = await outbox(database_url, SCHEDULED)
    assert (opened["planned_hours"], opened["ends_on"]) == ("450.00", course["ends_on"])
    assert (opened["course_id"], opened["cohort_id"], opened["step"]) == (course["id"], str(group.id), 4)
    # The whole plan again, not the difference.
    assert _timeless(replanned) == {**_timeless(opened), "planned_hours": "430.00", "ends_on": later}


async def test_a_plan_change_keeps_the_sessions_within_the_course_and_reports_every_fault_at_once(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=1)
    course = await programme.course(cohort=group)
    await programme.session(course, days_ago(30))
    await programme.session(course, days_ago(2))
    url = f"/v1/courses/{course['id']}"

    refused = await programme.http.patch(
        url,
        json={"planned_hours": "5000", "starts_on": days_ago(20), "ends_on": days_ago(10)},
        headers=programme.as_school(),
    )
    problem = assert_problem(refused, 422, "invalid-value")
    assert problem["errors"] == [
        {"field": "planned_hours", "message": "step 3 plans between 1 and 1000 hours"},
        {"field": "starts_on", "message": f"after the course's first session ({days_ago(30)})"},
        {"field": "ends_on", "message": f"before the course's last session ({days_ago(2)})"},
    ]
    for body in ({}, {"planned_hours": None}, {"ends_on": days_ago(2), "trainer": "x"}):
        assert_problem(await programme.http.patch(url, json=body, headers=programme.as_school()), 422, "validation")
    assert len(await outbox(database_url, SCHEDULED)) == 1  # the opening only

    assert_problem(
        await programme.http.patch(url, json={"planned_hours": "390"}, headers=programme.as_school(org=uuid.uuid4())),
        404,
    )
    reader = programme.as_school(role=Role.READER)
    assert_problem(await programme.http.patch(url, json={"planned_hours": "390"}, headers=reader), 403)
    assert_problem(await programme.http.patch(url, json={"planned_hours": "390"}, headers=programme.as_employer()), 404)


async def test_a_cohort_course_moved_outside_its_steps_planned_period_is_refused(programme: Programme) -> None:
    first = date.fromisoformat(days_ago(60))
    period = enrolment.StepPeriod(step=3, starts_on=first, ends_on=first + timedelta(weeks=20))
    group = await programme.cohort(size=1, calendar=(period,))
    course = await programme.course(cohort=group)
    url = f"/v1/courses/{course['id']}"

    assert period.ends_on is not None
    too_late = (period.ends_on + timedelta(days=1)).isoformat()
    refused = await programme.http.patch(url, json={"ends_on": too_late}, headers=programme.as_school())
    assert [error["field"] for error in assert_problem(refused, 422, "invalid-value")["errors"]] == ["ends_on"]
    within = await programme.http.patch(
        url, json={"ends_on": period.ends_on.isoformat()}, headers=programme.as_school()
    )
    assert within.status_code == 200, within.text


async def test_a_plan_change_and_a_session_added_at_once_never_leave_a_session_outside_the_course(
    programme: Programme,
) -> None:
    for _ in range(4):
        course = await programme.course(cohort=await programme.cohort(size=1))
        url = f"/v1/courses/{course['id']}"
        shrink = programme.http.patch(url, json={"ends_on": days_ago(0)}, headers=programme.as_school())
        add = programme.http.post(
            f"{url}/sessions",
            json={"held_on": (today() + timedelta(days=7)).isoformat(), "starts_at": "09:00", "ends_at": "12:00"},
            headers=programme.as_school(),
        )
        replanned, added = await asyncio.gather(shrink, add)

        # One of them goes first; the other sees what it did.
        assert (replanned.status_code, added.status_code) in {(200, 422), (422, 201)}, (replanned.text, added.text)
        now = (await programme.http.get(url, headers=programme.as_school())).json()
        sessions = (await programme.http.get(f"{url}/sessions", headers=programme.as_school())).json()
        assert all(now["starts_on"] <= session["held_on"] <= now["ends_on"] for session in sessions)
