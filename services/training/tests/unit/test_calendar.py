"""A cohort's course falls within the period its cohort's calendar plans for the step, once that is known."""

from __future__ import annotations

from datetime import date

import pytest

from training_service.domain.calendar import PlannedPeriod, check_within
from training_service.domain.errors import InvalidValue
from training_service.domain.vocabulary import Step

STEP_3 = PlannedPeriod(Step.FRENCH_QUALIFICATION, date(2026, 9, 7), date(2027, 1, 29))
OPEN_ENDED = PlannedPeriod(Step.TRADE_QUALIFICATION, date(2027, 2, 1))


def refusals(period: PlannedPeriod | None, starts_on: date, ends_on: date) -> list[tuple[str, str]]:
    try:
        check_within(period, starts_on, ends_on)
    except InvalidValue as refused:
        return list(refused.refusals)
    return []


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2026, 9, 7), date(2027, 1, 29)),  # the whole period, bounds included
        (date(2026, 10, 1), date(2026, 12, 18)),
        (date(2027, 1, 29), date(2027, 1, 29)),
    ],
)
def test_a_course_within_the_period_is_accepted(starts_on: date, ends_on: date) -> None:
    assert refusals(STEP_3, starts_on, ends_on) == []


def test_a_course_starting_before_the_period_names_starts_on_and_the_period() -> None:
    assert refusals(STEP_3, date(2026, 7, 6), date(2026, 12, 18)) == [
        ("starts_on", "before the start of the cohort's step 3 period (2026-09-07 to 2027-01-29)")
    ]


def test_a_course_ending_after_the_period_names_ends_on() -> None:
    assert refusals(STEP_3, date(2026, 9, 7), date(2027, 2, 1)) == [
        ("ends_on", "after the end of the cohort's step 3 period (2026-09-07 to 2027-01-29)")
    ]


def test_a_course_wider_than_the_period_names_both_dates_at_once() -> None:
    assert [field for field, _ in refusals(STEP_3, date(2026, 9, 1), date(2027, 3, 1))] == ["starts_on", "ends_on"]


def test_a_course_wholly_before_or_after_the_period_names_both_dates() -> None:
    before = refusals(STEP_3, date(2026, 6, 1), date(2026, 7, 1))
    after = refusals(STEP_3, date(2027, 3, 1), date(2027, 4, 1))
    assert before == [
        ("starts_on", "before the start of the cohort's step 3 period (2026-09-07 to 2027-01-29)"),
        ("ends_on", "before the start of the cohort's step 3 period (2026-09-07 to 2027-01-29)"),
    ]
    assert [reason.split(" of ")[0] for _, reason in after] == ["after the end", "after the end"]


def test_an_open_ended_period_bounds_the_start_only() -> None:
    assert refusals(OPEN_ENDED, date(2027, 2, 1), date(2028, 6, 30)) == []
    assert refusals(OPEN_ENDED, date(2027, 1, 25), date(2027, 12, 17)) == [
        ("starts_on", "before the start of the cohort's step 4 period (2027-02-01 to an end not planned yet)")
    ]


def test_an_unknown_period_sets_no_bound() -> None:
    assert refusals(None, date(2020, 1, 1), date(2030, 1, 1)) == []
