"""A course's plan is checked as a whole: a partner hears every refused value of its request at once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from training_service.domain.course import Course, weekly_days
from training_service.domain.errors import CourseClosed, InvalidValue
from training_service.domain.vocabulary import CourseStatus, Step


def test_a_plan_with_several_faults_is_refused_with_all_of_them() -> None:
    with pytest.raises(InvalidValue) as refused:
        Course.plan(
            course_id=uuid.uuid4(),
            step=Step.FRENCH_QUALIFICATION,
            cohort_id=uuid.uuid4(),
            beneficiary_id=uuid.uuid4(),
            provider_org_id=uuid.uuid4(),
            planned_hours=Decimal(2000),
            support_french_hours=Decimal(20),
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 2, 1),
        )

    assert [field for field, _ in refused.value.refusals] == [
        "cohort_id",
        "planned_hours",
        "support_french_hours",
        "ends_on",
    ]
    assert refused.value.field == "cohort_id"


def test_a_sound_plan_is_accepted() -> None:
    course = Course.plan(
        course_id=uuid.uuid4(),
        step=Step.FRENCH_QUALIFICATION,
        cohort_id=uuid.uuid4(),
        beneficiary_id=None,
        provider_org_id=uuid.uuid4(),
        planned_hours=None,
        support_french_hours=None,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 9, 1),
    )

    assert course.planned_hours == Decimal(400)


def test_a_course_lasting_until_the_end_of_time_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Course.plan(
            course_id=uuid.uuid4(),
            step=Step.FRENCH_QUALIFICATION,
            cohort_id=uuid.uuid4(),
            beneficiary_id=None,
            provider_org_id=uuid.uuid4(),
            planned_hours=None,
            support_french_hours=None,
            starts_on=date(2026, 3, 1),
            ends_on=date(9999, 12, 31),
        )

    assert refused.value.field == "ends_on"


def test_a_weekly_pattern_ending_on_the_last_representable_day_does_not_overflow() -> None:
    days = weekly_days(date(9999, 12, 1), date(9999, 12, 31), frozenset({4}), frozenset())

    assert days[-1] == date(9999, 12, 31)
    assert len(days) == 5


def test_a_weekly_pattern_longer_than_a_course_may_last_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        weekly_days(date(2026, 1, 1), date(9999, 12, 31), frozenset({0}), frozenset())

    assert refused.value.field == "until"


def _step_four() -> Course:
    return Course.plan(
        course_id=uuid.uuid4(),
        step=Step.TRADE_QUALIFICATION,
        cohort_id=uuid.uuid4(),
        beneficiary_id=None,
        provider_org_id=uuid.uuid4(),
        planned_hours=None,
        support_french_hours=Decimal(30),
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 12, 17),
    )


def test_a_plan_change_changes_what_it_gives_and_keeps_the_rest() -> None:
    course = _step_four()

    replanned = course.replan(
        planned_hours=Decimal("430.5"),
        support_french_hours=None,
        starts_on=None,
        ends_on=date(2028, 1, 14),
        sessions_held=(date(2027, 2, 1), date(2027, 12, 17)),
    )

    assert (replanned.id, replanned.planned_hours, replanned.support_french_hours) == (
        course.id,
        Decimal("430.50"),
        Decimal("30.00"),
    )
    assert (replanned.starts_on, replanned.ends_on) == (date(2027, 2, 1), date(2028, 1, 14))
    assert not replanned.same_plan(course)
    unchanged = course.replan(
        planned_hours=Decimal(450), support_french_hours=None, starts_on=None, ends_on=None, sessions_held=None
    )
    assert unchanged.same_plan(course)


def test_a_plan_change_leaving_sessions_outside_the_course_is_refused_with_every_fault() -> None:
    with pytest.raises(InvalidValue) as refused:
        _step_four().replan(
            planned_hours=Decimal(0),
            support_french_hours=None,
            starts_on=date(2027, 3, 1),
            ends_on=date(2027, 6, 30),
            sessions_held=(date(2027, 2, 3), date(2027, 7, 2)),
        )

    assert refused.value.refusals == (
        ("planned_hours", "step 4 plans between 1 and 1000 hours"),
        ("starts_on", "after the course's first session (2027-02-03)"),
        ("ends_on", "before the course's last session (2027-07-02)"),
    )


def test_a_closed_course_keeps_its_plan() -> None:
    closed = replace(_step_four(), status=CourseStatus.CLOSED)

    with pytest.raises(CourseClosed):
        closed.replan(
            planned_hours=Decimal(400), support_french_hours=None, starts_on=None, ends_on=None, sessions_held=None
        )
