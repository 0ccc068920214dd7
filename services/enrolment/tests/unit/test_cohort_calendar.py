"""A cohort's calendar: a period per step 3 and 4, every fault named at once, published whole when it changes."""

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from enrolment_service.domain.calendar import CalendarDates, CohortCalendar, StepPeriod
from enrolment_service.domain.cohort import Cohort
from enrolment_service.domain.errors import InvalidValue
from enrolment_service.domain.events import CohortCalendarChanged, CohortCreated
from enrolment_service.domain.vocabulary import Step, Track

FRENCH, TRADE = Step.FRENCH_QUALIFICATION, Step.TRADE_QUALIFICATION
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def refused_fields(dates: CalendarDates) -> list[tuple[str, str]]:
    with pytest.raises(InvalidValue) as refused:
        CohortCalendar.plan(dates)
    return list(refused.value.refusals)


def test_a_calendar_keeps_each_planned_step_in_step_order_with_its_end_when_known() -> None:
    calendar = CohortCalendar.plan({TRADE: (date(2026, 6, 1), None), FRENCH: (date(2026, 3, 2), date(2026, 5, 29))})
    assert calendar.periods == (
        StepPeriod(step=FRENCH, starts_on=date(2026, 3, 2), ends_on=date(2026, 5, 29)),
        StepPeriod(step=TRADE, starts_on=date(2026, 6, 1), ends_on=None),
    )
    assert calendar.starts_on(TRADE) == date(2026, 6, 1)
    assert calendar.ends_on(TRADE) is None
    assert CohortCalendar.plan({FRENCH: (None, None)}).periods == ()


def test_every_wrong_field_is_named_in_one_refusal() -> None:
    assert refused_fields({FRENCH: (date(2026, 3, 2), date(2026, 3, 1)), TRADE: (None, date(2026, 9, 1))}) == [
        ("french_qualification_ends_on", "cannot be before french_qualification_starts_on"),
        ("trade_qualification_ends_on", "needs trade_qualification_starts_on"),
    ]
    faults = refused_fields(
        {FRENCH: (date(2026, 3, 2), date(2026, 5, 29)), TRADE: (date(2026, 5, 29), date(2026, 5, 1))}
    )
    assert [field for field, _ in faults] == ["trade_qualification_ends_on", "trade_qualification_starts_on"]


@pytest.mark.parametrize(
    ("french", "trade_starts_on"),
    [
        ((date(2026, 3, 2), date(2026, 5, 29)), date(2026, 5, 15)),  # step 4 before step 3's end
        ((date(2026, 3, 2), date(2026, 5, 29)), date(2026, 5, 29)),  # on step 3's last day
        ((date(2026, 3, 2), None), date(2026, 3, 1)),  # step 3's end unknown: not before its start
    ],
)
def test_step_4_follows_step_3(french: tuple[date, date | None], trade_starts_on: date) -> None:
    assert [field for field, _ in refused_fields({FRENCH: french, TRADE: (trade_starts_on, None)})] == [
        "trade_qualification_starts_on"
    ]


def test_step_4_may_start_the_day_after_step_3_ends_or_be_planned_alone() -> None:
    CohortCalendar.plan({FRENCH: (date(2026, 3, 2), date(2026, 5, 29)), TRADE: (date(2026, 5, 30), None)})
    CohortCalendar.plan({TRADE: (date(2026, 5, 30), date(2027, 5, 29))})


def a_cohort(calendar: CalendarDates) -> tuple[Cohort, CohortCreated]:
    return Cohort.create(
        cohort_id=UUID(int=7),
        name="HOPE Rouen logistique",
        sector_code="logistics",
        region="28",
        track=Track.GROUP,
        training_provider_org_id=UUID(int=1),
        support_provider_org_id=UUID(int=2),
        capacity=12,
        calendar=calendar,
        at=AT,
    )


def test_a_cohort_created_with_a_calendar_publishes_it() -> None:
    _, created = a_cohort({FRENCH: (date(2026, 3, 2), date(2026, 5, 29)), TRADE: (date(2026, 6, 1), None)})
    assert created.calendar == (
        StepPeriod(step=FRENCH, starts_on=date(2026, 3, 2), ends_on=date(2026, 5, 29)),
        StepPeriod(step=TRADE, starts_on=date(2026, 6, 1)),
    )


def test_a_changed_calendar_is_published_whole_and_the_same_one_again_publishes_nothing() -> None:
    cohort, _ = a_cohort({FRENCH: (date(2026, 3, 2), None)})
    new = {FRENCH: (date(2026, 3, 9), date(2026, 6, 5)), TRADE: (date(2026, 6, 8), None)}

    assert cohort.change_calendar(new, AT) == [
        CohortCalendarChanged(cohort_id=cohort.id, calendar=CohortCalendar.plan(new).periods, occurred_at=AT)
    ]
    assert cohort.calendar.starts_on(TRADE) == date(2026, 6, 8)
    assert cohort.change_calendar(new, AT) == []


def test_a_refused_change_leaves_the_calendar_as_it_was() -> None:
    cohort, _ = a_cohort({FRENCH: (date(2026, 3, 2), None)})
    before = cohort.calendar
    with pytest.raises(InvalidValue):
        cohort.change_calendar({FRENCH: (date(2026, 3, 9), date(2026, 3, 1))}, AT)
    assert cohort.calendar == before
