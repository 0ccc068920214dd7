"""Exit outcomes, the headline KPI rule, and follow-ups 3, 6 and 12 months after exit."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]  # the oracle, untyped
from hypothesis import given
from hypothesis import strategies as st

from employment_service.domain.errors import IllegalTransition, InvalidValue, OutcomeAlreadyRecorded, Unprocessable
from employment_service.domain.events import FollowUpRecorded, OutcomeRecorded
from employment_service.domain.follow_up import UNREACHABLE_AFTER_ATTEMPTS, FollowUp, add_months
from employment_service.domain.observation import Observation
from employment_service.domain.outcome import record_exit_outcome
from employment_service.domain.person_path import PersonPath
from employment_service.domain.vocabulary import EvidenceSource, FollowUpStatus, OutcomeCode, counts_as_employed

PERSON = UUID("00000000-0000-4000-8000-000000000001")
NOW = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
EMPLOYER = uuid4()
IN_STEP_4 = PersonPath(PERSON, step=4)
CDI = Observation(OutcomeCode.CDI, EvidenceSource.CONTRACT_COPY, EMPLOYER, Decimal("35"))


def record(exit_on: date, observation: Observation = CDI) -> tuple[list[FollowUp], list[object]]:
    _, follow_ups, events = record_exit_outcome(
        path=IN_STEP_4, exit_on=exit_on, observation=observation, existing=None, at=NOW
    )
    return follow_ups, list(events)


def test_the_headline_kpi_counts_cdi_long_cdd_interim_and_work_study_only() -> None:
    employed = {code for code in OutcomeCode if counts_as_employed(code)}
    assert employed == {OutcomeCode.CDI, OutcomeCode.CDD_6M_PLUS, OutcomeCode.INTERIM, OutcomeCode.WORK_STUDY}


def test_recording_the_outcome_announces_it_and_schedules_three_follow_ups() -> None:
    follow_ups, events = record(date(2026, 8, 31))
    assert [(f.months_after_exit, f.due_on, f.status) for f in follow_ups] == [
        (3, date(2026, 11, 30), FollowUpStatus.DUE),
        (6, date(2027, 2, 28), FollowUpStatus.DUE),
        (12, date(2027, 8, 31), FollowUpStatus.DUE),
    ]
    assert events == [
        OutcomeRecorded(
            beneficiary_id=PERSON,
            outcome_code=OutcomeCode.CDI,
            exit_on=date(2026, 8, 31),
            employer_id=EMPLOYER,
            weekly_hours=Decimal("35.00"),
            evidence_source=EvidenceSource.CONTRACT_COPY,
            counts_as_employed=True,
            occurred_at=NOW,
        )
    ]


def test_an_exit_on_the_29th_of_february_is_followed_up_on_the_28th_a_year_later() -> None:
    assert [add_months(date(2024, 2, 29), m) for m in (3, 6, 12)] == [
        date(2024, 5, 29),
        date(2024, 8, 29),
        date(2025, 2, 28),
    ]


def test_an_exit_at_the_end_of_november_reaches_the_29th_of_february_in_a_leap_year() -> None:
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), months=st.sampled_from([3, 6, 12]))
def test_the_schedule_agrees_with_dateutils_relativedelta(start: date, months: int) -> None:
    assert add_months(start, months) == start + relativedelta(months=months)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_follow_ups_fall_in_the_right_months_in_order(start: date) -> None:
    three, six, twelve = (add_months(start, m) for m in (3, 6, 12))
    assert start < three < six < twelve
    for due, months in ((three, 3), (six, 6), (twelve, 12)):
        assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
        assert due.day == start.day or (due.day < start.day and (due + timedelta(days=1)).day == 1)


def test_an_outcome_is_recorded_once_per_person() -> None:
    outcome, _, _ = record_exit_outcome(
        path=IN_STEP_4, exit_on=date(2026, 8, 31), observation=CDI, existing=None, at=NOW
    )
    with pytest.raises(OutcomeAlreadyRecorded) as refused:
        record_exit_outcome(path=IN_STEP_4, exit_on=date(2026, 8, 31), observation=CDI, existing=outcome, at=NOW)
    assert refused.value.category == "conflict"


def test_an_exit_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidValue, match="exit_on"):
        record(NOW.date() + timedelta(days=1))


@pytest.mark.parametrize("code", [OutcomeCode.TRAINING, OutcomeCode.JOB_SEARCH, OutcomeCode.OTHER])
def test_an_employer_or_weekly_hours_only_go_with_a_job(code: OutcomeCode) -> None:
    with pytest.raises(InvalidValue, match="employer_id"):
        Observation(code, EvidenceSource.BENEFICIARY_STATEMENT, employer_id=uuid4())
    with pytest.raises(InvalidValue, match="weekly_hours"):
        Observation(code, EvidenceSource.BENEFICIARY_STATEMENT, weekly_hours=Decimal("20"))


def test_a_short_cdd_is_a_job_but_not_kpi_employment() -> None:
    short = Observation(OutcomeCode.CDD_SHORT, EvidenceSource.EMPLOYER_CONFIRMATION, uuid4(), Decimal("20"))
    assert not short.employed
    _, [recorded] = record(date(2026, 8, 31), short)
    assert isinstance(recorded, OutcomeRecorded)
    assert recorded.counts_as_employed is False


def test_a_follow_up_done_carries_the_situation_at_that_date() -> None:
    [three, *_], _ = record(date(2026, 5, 31))
    later = Observation(OutcomeCode.INTERIM, EvidenceSource.PUBLIC_EMPLOYMENT_DATA)
    [recorded] = three.complete(later, date(2026, 8, 31), NOW)
    assert three.status is FollowUpStatus.DONE
    assert isinstance(recorded, FollowUpRecorded)
    assert (recorded.months_after_exit, recorded.status, recorded.outcome_code, recorded.counts_as_employed) == (
        3,
        FollowUpStatus.DONE,
        OutcomeCode.INTERIM,
        True,
    )


def test_a_follow_up_cannot_be_answered_long_before_it_is_due_nor_in_the_future() -> None:
    [three, six, _], _ = record(date(2026, 6, 30))
    observation = Observation(OutcomeCode.JOB_SEARCH, EvidenceSource.BENEFICIARY_STATEMENT)
    with pytest.raises(InvalidValue, match="15 days"):
        six.complete(observation, date(2026, 8, 31), NOW)
    with pytest.raises(InvalidValue, match="future"):
        three.complete(observation, date(2026, 9, 30), NOW)
    with pytest.raises(InvalidValue, match="15 days"):
        three.complete(observation, date(2026, 9, 14), NOW + timedelta(days=20))
    assert three.complete(observation, date(2026, 9, 15), NOW + timedelta(days=20))


def test_a_person_is_unreachable_only_after_the_stated_number_of_attempts() -> None:
    [three, *_], _ = record(date(2026, 5, 31))
    for attempt in range(UNREACHABLE_AFTER_ATTEMPTS):
        with pytest.raises(Unprocessable):
            three.mark_unreachable(NOW)
        three.record_failed_attempt(NOW + timedelta(days=attempt))
    [recorded] = three.mark_unreachable(NOW + timedelta(days=3))
    assert isinstance(recorded, FollowUpRecorded)
    assert (recorded.status, recorded.attempts, recorded.outcome_code) == (FollowUpStatus.UNREACHABLE, 3, None)


def test_a_closed_follow_up_takes_no_more_attempts_or_answers() -> None:
    [three, *_], _ = record(date(2026, 5, 31))
    three.complete(Observation(OutcomeCode.CDI, EvidenceSource.EMPLOYER_CONFIRMATION), date(2026, 8, 31), NOW)
    with pytest.raises(IllegalTransition):
        three.record_failed_attempt(NOW)
    with pytest.raises(IllegalTransition):
        three.complete(Observation(OutcomeCode.OTHER, EvidenceSource.BENEFICIARY_STATEMENT), date(2026, 8, 31), NOW)


def test_a_follow_up_is_overdue_the_day_after_its_due_date_while_still_due() -> None:
    [three, *_], _ = record(date(2026, 5, 31))
    assert not three.is_overdue(date(2026, 8, 31))
    assert three.is_overdue(date(2026, 9, 1))
    three.complete(Observation(OutcomeCode.CDI, EvidenceSource.EMPLOYER_CONFIRMATION), date(2026, 8, 31), NOW)
    assert not three.is_overdue(date(2026, 9, 1))


@pytest.mark.parametrize("step", [None, 1, 2, 3])
def test_no_outcome_is_recorded_for_someone_still_on_the_path_before_step_4(step: int | None) -> None:
    with pytest.raises(Unprocessable) as refused:
        record_exit_outcome(
            path=PersonPath(PERSON, step=step), exit_on=date(2026, 8, 31), observation=CDI, existing=None, at=NOW
        )
    assert refused.value.details() == {"rule": "path_not_ending"}


def test_someone_who_left_at_any_step_gets_an_outcome() -> None:
    path = PersonPath(PERSON, step=1)
    path.withdrawn("employment_found", 1, date(2026, 8, 31))
    outcome, _, _ = record_exit_outcome(path=path, exit_on=date(2026, 8, 31), observation=CDI, existing=None, at=NOW)
    assert outcome.beneficiary_id == PERSON
