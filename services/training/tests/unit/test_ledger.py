from decimal import Decimal

import pytest

from training_service.domain.errors import HoursAboveSession, InvalidValue
from training_service.domain.ledger import HoursLedger, Mark, ledger
from training_service.domain.vocabulary import AttendanceStatus

P, E, U = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED
FOUR = Decimal("4.00")


def test_ledger_adds_up_attended_excused_unexcused_and_remaining() -> None:
    marks = [Mark.of(P, FOUR), Mark.of(E, FOUR), Mark.of(U, FOUR), Mark.of(P, Decimal("3.5"), Decimal("3.5"))]
    result = ledger(Decimal(400), marks)
    assert result.planned == Decimal("400.00")
    assert result.scheduled == Decimal("15.50")
    assert result.attended == Decimal("7.50")
    assert result.excused == Decimal("4.00")
    assert result.unexcused == Decimal("4.00")
    assert result.remaining == Decimal("392.50")
    assert result.completion_rate == Decimal("0.0188")
    assert result.attendance_rate == Decimal("0.4839")


def test_partial_presence_counts_the_missed_hours_by_the_status() -> None:
    late = Mark.of(P, FOUR, Decimal("3"))
    left_for_appointment = Mark.of(E, FOUR, Decimal("1.5"))
    result = ledger(Decimal(10), [late, left_for_appointment])
    assert result.attended == Decimal("4.50")
    assert result.unexcused == Decimal("1.00")
    assert result.excused == Decimal("2.50")


def test_hours_default_to_the_whole_session_when_present_and_none_when_absent() -> None:
    assert Mark.of(P, FOUR).hours_attended == FOUR
    assert Mark.of(U, FOUR).hours_attended == Decimal("0.00")


def test_never_more_than_the_session_nor_negative_nor_present_for_nothing() -> None:
    with pytest.raises(HoursAboveSession):
        Mark.of(P, FOUR, Decimal("4.01"))
    with pytest.raises(InvalidValue):
        Mark.of(E, FOUR, Decimal("-1"))
    with pytest.raises(InvalidValue):
        Mark.of(P, FOUR, Decimal("0"))


def test_remaining_and_completion_rate_are_capped() -> None:
    over = HoursLedger(Decimal(10), Decimal(12), Decimal(12), Decimal(0), Decimal(0))
    assert over.remaining == Decimal("0.00")
    assert over.completion_rate == Decimal(1)
    empty = ledger(Decimal(0), [])
    assert empty.completion_rate == Decimal("0.0000")
    assert empty.attendance_rate is None


def test_ledgers_sum_for_a_course_or_a_cohort() -> None:
    one = ledger(Decimal(400), [Mark.of(P, FOUR)])
    two = ledger(Decimal(400), [Mark.of(U, FOUR)])
    total = one + two
    assert (total.planned, total.attended, total.unexcused) == (Decimal("800.00"), FOUR, FOUR)
