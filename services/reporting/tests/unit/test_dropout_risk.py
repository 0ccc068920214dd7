"""The dropout-risk rules: signals add up, falling attendance against the months before."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from reporting_service.domain.dropout_risk import MonthOfAttendance, at_risk, falling

TODAY = date(2026, 12, 2)


def month(on: date, recorded: str, attended: str) -> MonthOfAttendance:
    return MonthOfAttendance(on, Decimal(recorded), Decimal(attended))


def test_attendance_falls_when_the_latest_month_is_15_points_below_the_three_before() -> None:
    before = [month(date(2026, m, 1), "70", "63") for m in (8, 9, 10)]  # 90 %
    assert falling([*before, month(date(2026, 11, 1), "70", "52.5")], TODAY)  # 75 %
    assert not falling([*before, month(date(2026, 11, 1), "70", "53")], TODAY)


def test_an_old_month_or_a_single_month_says_nothing_about_falling() -> None:
    assert not falling([month(date(2026, 11, 1), "70", "10")], TODAY)
    old = [month(date(2026, 5, 1), "70", "70"), month(date(2026, 6, 1), "70", "10")]
    assert not falling(old, TODAY), "the latest month with sessions is months ago: not news"


def test_people_are_listed_from_two_signals_with_their_reasons_in_a_stable_order() -> None:
    a, b, c = sorted(uuid.uuid4() for _ in range(3))
    signals = {
        "administrative_need_overdue": [a, c],
        "open_absence_alert": [a, b],
        "no_housing_next_week": [c],
    }
    listed = at_risk(signals)
    assert [(p.id, p.reasons) for p in listed] == [
        (a, ("open_absence_alert", "administrative_need_overdue")),
        (c, ("no_housing_next_week", "administrative_need_overdue")),
    ]
    assert [p.id for p in at_risk(signals, min_signals=1)] == [a, b, c]
