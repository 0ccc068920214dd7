"""A cohort's calendar from enrolment's events bounds its courses' dates, on SQLite and PostgreSQL: the
calendar held is the newest enrolment described, whatever order or how many times the events come."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from hope_contracts import enrolment
from hope_infra.testing import assert_problem
from hopekit.uow import Database
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.calendar import PlannedPeriod
from training_service.domain.vocabulary import Step

from .conftest import deliver, received
from .programme import SCHEDULED, SCHOOL, Programme, outbox
from .test_projection import cohort_created

pytestmark = pytest.mark.integration

CREATED_AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
FIRST_PLAN = (enrolment.StepPeriod(step=3, starts_on=date(2026, 9, 7), ends_on=date(2027, 1, 29)),)
MOVED_PLAN = (
    enrolment.StepPeriod(step=3, starts_on=date(2026, 10, 5), ends_on=date(2027, 2, 26)),
    enrolment.StepPeriod(step=4, starts_on=date(2027, 3, 1)),
)


def created(cohort: uuid.UUID, calendar: tuple[enrolment.StepPeriod, ...]) -> enrolment.CohortCreated:
    return cohort_created(cohort, SCHOOL).model_copy(update={"calendar": calendar, "occurred_at": CREATED_AT})


def changed(
    cohort: uuid.UUID, calendar: tuple[enrolment.StepPeriod, ...], at: datetime = CREATED_AT + timedelta(days=1)
) -> enrolment.CohortCalendarChanged:
    return enrolment.CohortCalendarChanged(cohort_id=cohort, calendar=calendar, occurred_at=at)


async def periods(database: Database, cohort: uuid.UUID) -> dict[int, PlannedPeriod | None]:
    async with TrainingUnitOfWork(database) as uow:
        return {int(step): await uow.calendars.period(cohort, step) for step in (Step(3), Step(4))}


MOVED = {
    3: PlannedPeriod(Step(3), date(2026, 10, 5), date(2027, 2, 26)),
    4: PlannedPeriod(Step(4), date(2027, 3, 1), None),
}


async def test_the_newest_calendar_holds_whatever_the_order_and_however_often_it_comes(database: Database) -> None:
    late, in_order = uuid.uuid4(), uuid.uuid4()
    change, creation = received(changed(late, MOVED_PLAN)), received(created(late, FIRST_PLAN))
    for event in (change, creation):  # the change overtook the creation
        assert await deliver(database, event) is True
    for event in (creation, change):  # each delivered again
        assert await deliver(database, event) is False
    assert await deliver(database, received(created(late, FIRST_PLAN))) is True  # resent under a new id
    assert await periods(database, late) == MOVED

    for contract in (created(in_order, FIRST_PLAN), changed(in_order, MOVED_PLAN)):
        assert await deliver(database, received(contract)) is True
    assert await periods(database, in_order) == MOVED
    async with TrainingUnitOfWork(database) as uow:
        assert await uow.cohorts.get(late) is not None  # the cohort itself was not skipped


async def test_a_change_replaces_the_whole_calendar(database: Database) -> None:
    cohort = uuid.uuid4()
    assert await deliver(database, received(created(cohort, MOVED_PLAN)))
    assert await deliver(database, received(changed(cohort, FIRST_PLAN)))  # step 4 no longer planned
    assert await periods(database, cohort) == {3: PlannedPeriod(Step(3), date(2026, 9, 7), date(2027, 1, 29)), 4: None}
    assert await deliver(database, received(changed(cohort, (), CREATED_AT + timedelta(days=2))))
    assert await periods(database, cohort) == {3: None, 4: None}


def _course(cohort: uuid.UUID, starts_on: str, ends_on: str, step: int = 3) -> dict[str, Any]:
    return {
        "step": step,
        "cohort_id": str(cohort),
        "provider_org_id": str(SCHOOL),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


async def test_a_cohort_course_outside_its_steps_planned_period_is_refused_with_both_dates_named(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=1, calendar=FIRST_PLAN)
    refused = await programme.http.post(
        "/v1/courses", json=_course(group.id, "2026-07-06", "2027-03-26"), headers=programme.as_school()
    )
    problem = assert_problem(refused, 422, "invalid-value")
    period = "the cohort's step 3 period (2026-09-07 to 2027-01-29)"
    assert problem["errors"] == [
        {"field": "starts_on", "message": f"before the start of {period}"},
        {"field": "ends_on", "message": f"after the end of {period}"},
    ]
    assert await outbox(database_url, SCHEDULED) == []

    within = await programme.http.post(
        "/v1/courses", json=_course(group.id, "2026-09-07", "2027-01-29"), headers=programme.as_school()
    )
    assert within.status_code == 201, within.text


async def test_a_calendar_change_moves_the_bound_and_an_unplanned_step_is_not_bounded(programme: Programme) -> None:
    group = await programme.cohort(size=1, calendar=FIRST_PLAN)
    assert await deliver(programme.database, received(changed(group.id, MOVED_PLAN, datetime.now(UTC))))
    early = await programme.http.post(
        "/v1/courses", json=_course(group.id, "2026-09-07", "2027-01-29"), headers=programme.as_operator()
    )
    assert [error["field"] for error in assert_problem(early, 422)["errors"]] == ["starts_on"]
    moved = await programme.http.post(
        "/v1/courses", json=_course(group.id, "2026-10-05", "2027-02-26"), headers=programme.as_operator()
    )
    assert moved.status_code == 201, moved.text

    open_ended = await programme.http.post(
        "/v1/courses", json=_course(group.id, "2027-03-01", "2028-01-28", step=4), headers=programme.as_school()
    )
    assert open_ended.status_code == 201, open_ended.text

    unplanned = await programme.cohort(size=1)  # enrolment has planned no calendar yet: allowed, as before
    anywhere = await programme.http.post(
        "/v1/courses", json=_course(unplanned.id, "2026-01-05", "2026-06-26"), headers=programme.as_school()
    )
    assert anywhere.status_code == 201, anywhere.text
