"""Attendance follows the cohort's calendar as training knows it: a member has no attendance in the cohort's
course on days before enrolment added them to the cohort, by sheet or by import."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hope_contracts import enrolment
from hopekit.uow import Database
from training_service.adapters.unit_of_work import TrainingUnitOfWork

from .conftest import deliver, received
from .test_attendance_api import CSV_HEADER, Setup, setup, upload

pytestmark = pytest.mark.integration

__all__ = ["setup"]  # the fixture, shared with the attendance tests

JOINED = datetime(2026, 1, 8, 10, 0, tzinfo=UTC)  # a Thursday: the course's sessions are on 5, 9, 12, 14, 16 Jan


async def join_late(setup: Setup) -> None:
    """The third person was added to the cohort on 8 January."""
    added = enrolment.CohortMemberAdded(cohort_id=setup.cohort, beneficiary_id=setup.people[2], occurred_at=JOINED)
    assert await deliver(setup.database, received(added))


async def test_a_sheet_is_refused_for_a_member_on_a_day_before_they_joined_the_cohort(setup: Setup) -> None:
    await join_late(setup)
    course = await setup.course()
    first, second = course["sessions"][0], course["sessions"][1]
    sheet = {"entries": [{"beneficiary_id": str(p), "status": "present"} for p in setup.people]}

    before = await setup.http.put(f"/v1/sessions/{first['id']}/attendance", json=sheet, headers=setup.as_provider())
    after = await setup.http.put(f"/v1/sessions/{second['id']}/attendance", json=sheet, headers=setup.as_provider())

    assert before.status_code == 422
    assert [(e["field"], e["reason"]) for e in before.json()["errors"]] == [
        ("entries.2.beneficiary_id", "before_joining_cohort")
    ]
    assert "2026-01-08" in before.json()["errors"][0]["message"]
    assert after.status_code == 200, after.text
    assert after.json()["applied"] == 3


async def test_an_import_rejects_the_rows_before_a_member_joined_and_keeps_the_others(setup: Setup) -> None:
    await join_late(setup)
    course = await setup.course()
    late = setup.people[2]
    content = (
        CSV_HEADER
        + f"{late};2026-01-05;09:00;present;4\n"
        + f"{late};2026-01-09;09:00;present;4\n"
        + f"{setup.people[0]};2026-01-05;09:00;present;4\n"
    ).encode()

    report = (await upload(setup, course["id"], content)).json()

    assert report["applied"] == 2
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [(2, "before_joining_cohort")]


async def test_the_earliest_member_added_date_is_kept_whatever_the_order_events_come_in(database: Database) -> None:
    cohort, person = uuid.uuid4(), uuid.uuid4()
    for when in (JOINED + timedelta(days=30), JOINED, JOINED + timedelta(days=3)):
        added = enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=when)
        assert await deliver(database, received(added))

    async with TrainingUnitOfWork(database) as uow:
        view = await uow.projection.participant(person)

    assert view is not None
    assert view.joined_on == {cohort: JOINED.date()}


async def test_the_join_date_enrolment_gives_counts_rather_than_when_the_member_was_recorded(setup: Setup) -> None:
    """The coordinator recorded on 15 January that the third person joined on 8 January: the sheet of the 9th
    takes them, the 5th's does not."""
    added = enrolment.CohortMemberAdded(
        cohort_id=setup.cohort,
        beneficiary_id=setup.people[2],
        joined_on=JOINED.date(),
        occurred_at=JOINED + timedelta(days=7),
    )
    assert await deliver(setup.database, received(added))
    course = await setup.course()
    first, second = course["sessions"][0], course["sessions"][1]
    sheet = {"entries": [{"beneficiary_id": str(p), "status": "present"} for p in setup.people]}

    before = await setup.http.put(f"/v1/sessions/{first['id']}/attendance", json=sheet, headers=setup.as_provider())
    after = await setup.http.put(f"/v1/sessions/{second['id']}/attendance", json=sheet, headers=setup.as_provider())

    assert before.status_code == 422
    assert "2026-01-08" in before.json()["errors"][0]["message"]
    assert after.status_code == 200, after.text
    assert after.json()["applied"] == 3
