from datetime import date, timedelta
from decimal import Decimal

from training_service.domain.alerts import DatedMark, evaluate
from training_service.domain.ledger import Mark
from training_service.domain.vocabulary import AlertRule, AttendanceStatus

P, E, U = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED
TODAY = date(2026, 3, 31)


def marks(*statuses: AttendanceStatus, last: date = TODAY) -> list[DatedMark]:
    days = len(statuses)
    return [
        DatedMark(last - timedelta(days=days - 1 - i), Mark.of(status, Decimal(4))) for i, status in enumerate(statuses)
    ]


def rules(found: list) -> set[AlertRule]:  # type: ignore[type-arg]
    return {finding.rule for finding in found}


def test_three_unexcused_absences_in_a_row_raise_an_alert() -> None:
    found = evaluate(marks(*[P] * 20, U, U, U), TODAY)
    assert rules(found) == {AlertRule.CONSECUTIVE_UNEXCUSED}
    assert found[0].consecutive_unexcused == 3


def test_an_excused_absence_breaks_the_run() -> None:
    assert evaluate(marks(*[P] * 20, U, U, E, U), TODAY) == []


def test_an_open_alert_is_not_raised_twice() -> None:
    found = evaluate(marks(*[P] * 20, U, U, U, U), TODAY, open_rules=frozenset({AlertRule.CONSECUTIVE_UNEXCUSED}))
    assert found == []


def test_after_resolution_only_later_sessions_count() -> None:
    history = marks(*[P] * 20, U, U, U)
    resolved = {AlertRule.CONSECUTIVE_UNEXCUSED: TODAY - timedelta(days=1)}
    assert evaluate(history, TODAY, resolved_on=resolved) == []


def test_attendance_rate_under_threshold_over_four_weeks() -> None:
    # 28 days: 22 present, 6 excused absences = 78.6 % < 80 %
    found = evaluate(marks(*[P] * 22, *[E] * 6), TODAY)
    assert rules(found) == {AlertRule.LOW_ATTENDANCE_RATE}
    assert found[0].attendance_rate == Decimal("0.7857")


def test_old_absences_fall_out_of_the_window_and_the_threshold_is_configurable() -> None:
    history = marks(*[E] * 10, *[P] * 28)
    assert evaluate(history, TODAY) == []
    recent = marks(*[P] * 17, *[E] * 3)  # 85 %
    assert evaluate(recent, TODAY) == []
    assert rules(evaluate(recent, TODAY, threshold=Decimal("0.90"))) == {AlertRule.LOW_ATTENDANCE_RATE}


def test_future_sessions_do_not_count() -> None:
    assert evaluate(marks(U, U, U, last=TODAY + timedelta(days=5)), TODAY) == []
