"""A course (one per cohort, or per person on the individual track, and step) and its sessions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from training_service.domain.errors import CourseClosed, InvalidValue, Refusals, SessionOutsideCourse
from training_service.domain.ledger import hours
from training_service.domain.vocabulary import STEP_HOURS, CourseStatus, SessionKind, Step, Track

MAX_COURSE_YEARS = 3
"""A course (and a weekly pattern within it) spans at most this many years: step 4, the longest, is a year at
most in practice; the bound keeps every date computed from a course's dates far from ``date.max``."""
_MAX_SPAN = timedelta(days=MAX_COURSE_YEARS * 366)


@dataclass
class Course:
    id: UUID
    step: Step
    track: Track
    cohort_id: UUID | None
    beneficiary_id: UUID | None
    provider_org_id: UUID
    planned_hours: Decimal
    support_french_hours: Decimal | None
    starts_on: date
    ends_on: date
    status: CourseStatus = CourseStatus.OPEN

    @classmethod
    def plan(
        cls,
        *,
        course_id: UUID,
        step: Step,
        cohort_id: UUID | None,
        beneficiary_id: UUID | None,
        provider_org_id: UUID,
        planned_hours: Decimal | None,
        support_french_hours: Decimal | None,
        starts_on: date,
        ends_on: date,
    ) -> Course:
        refused = Refusals()
        if (cohort_id is None) == (beneficiary_id is None):
            refused.add("cohort_id", "a course is for one cohort or for one person, not both nor neither")
        low, high, default = STEP_HOURS[step]
        planned = hours(planned_hours if planned_hours is not None else default)
        if not low <= planned <= high:
            refused.add("planned_hours", f"step {int(step)} plans between {low} and {high} hours")
        if support_french_hours is not None and step is not Step.TRADE_QUALIFICATION:
            refused.add("support_french_hours", "only step 4 has French support hours")
        if ends_on < starts_on:
            refused.add("ends_on", "before starts_on")
        elif ends_on - starts_on > _MAX_SPAN:
            refused.add("ends_on", f"a course lasts at most {MAX_COURSE_YEARS} years")
        refused.raise_any()
        return cls(
            id=course_id,
            step=step,
            track=Track.GROUP if cohort_id is not None else Track.INDIVIDUAL,
            cohort_id=cohort_id,
            beneficiary_id=beneficiary_id,
            provider_org_id=provider_org_id,
            planned_hours=planned,
            support_french_hours=hours(support_french_hours) if support_french_hours is not None else None,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    def replan(
        self,
        *,
        planned_hours: Decimal | None,
        support_french_hours: Decimal | None,
        starts_on: date | None,
        ends_on: date | None,
        sessions_held: tuple[date, date] | None,
    ) -> Course:
        """The course with its plan changed where a value is given, checked whole like a new one; its sessions
        (``sessions_held``: the first and last day) stay within its dates."""
        if self.status is CourseStatus.CLOSED:
            raise CourseClosed("a closed course keeps the plan it closed with")
        starts_on = starts_on if starts_on is not None else self.starts_on
        ends_on = ends_on if ends_on is not None else self.ends_on
        if support_french_hours is None:
            support_french_hours = self.support_french_hours
        refused = Refusals()
        replanned: Course | None = None
        try:
            replanned = Course.plan(
                course_id=self.id,
                step=self.step,
                cohort_id=self.cohort_id,
                beneficiary_id=self.beneficiary_id,
                provider_org_id=self.provider_org_id,
                planned_hours=planned_hours if planned_hours is not None else self.planned_hours,
                support_french_hours=support_french_hours,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        except InvalidValue as error:
            for field, reason in error.refusals:
                refused.add(field, reason)
        if sessions_held is not None:
            first, last = sessions_held
            if first < starts_on:
                refused.add("starts_on", f"after the course's first session ({first})")
            if last > ends_on:
                refused.add("ends_on", f"before the course's last session ({last})")
        refused.raise_any()
        assert replanned is not None  # refused otherwise
        return replace(replanned, status=self.status)

    def same_plan(self, other: Course) -> bool:
        return (self.planned_hours, self.support_french_hours, self.starts_on, self.ends_on) == (
            other.planned_hours,
            other.support_french_hours,
            other.starts_on,
            other.ends_on,
        )

    def check_day(self, day: date) -> None:
        if not self.starts_on <= day <= self.ends_on:
            raise SessionOutsideCourse(f"{day} is outside the course ({self.starts_on} to {self.ends_on})")


@dataclass(frozen=True)
class Session:
    id: UUID
    course_id: UUID
    held_on: date
    starts_at: time
    ends_at: time
    hours: Decimal
    kind: SessionKind
    trainer: str | None = None
    place: str | None = None


def session_hours(starts_at: time, ends_at: time, given: Decimal | None) -> Decimal:
    """A session's hours: given (a lunch break is not taught), else its length; never longer than its length."""
    if ends_at <= starts_at:
        raise InvalidValue("ends_at", "must be after starts_at")
    length = Decimal((datetime.combine(date.min, ends_at) - datetime.combine(date.min, starts_at)).seconds) / 3600
    length = hours(length)
    if given is None:
        return length
    value = hours(given)
    if not Decimal(0) < value <= length:
        raise InvalidValue("hours", f"must be more than 0 and at most the session's length ({length})")
    return value


def weekly_days(first: date, last: date, weekdays: frozenset[int], days_off: frozenset[date]) -> list[date]:
    """The days from ``first`` to ``last`` falling on ``weekdays`` (0 = Monday), skipping ``days_off``."""
    if last < first:
        raise InvalidValue("until", "before from")
    if last - first > _MAX_SPAN:
        raise InvalidValue("until", f"a pattern spans at most {MAX_COURSE_YEARS} years")
    # Counted in days from ``first``: never steps past ``last``, so a pattern ending on 9999-12-31 is no overflow.
    every_day = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [day for day in every_day if day.weekday() in weekdays and day not in days_off]
