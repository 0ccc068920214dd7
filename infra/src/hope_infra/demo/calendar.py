"""A cohort's calendar: when its steps run and when its sessions are held.

The services stamp what happens with their own clock (a registration, a step started, a member added today), and
training refuses attendance for days before a person joined their cohort: a cohort formed by the demo today has
its courses from today on (today's sheet is the only one training's absence rules can see yet). What partners
date themselves (an attestation, an exit, a follow-up's observation) cannot be in the future: the run's date.

So a run is a programme played in one day, as if every cohort had been formed today: its sheets run into the
coming months, its exits are today, its follow-ups fall due 3, 6 and 12 months from now. A course's first session
is held the day it starts even on a weekend (a run on a Saturday had every session in the future, so no absence
rule saw any, and the whole-path test found no alert), the others on working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

SESSION_STARTS, SESSION_ENDS = time(9, 0), time(16, 0)
SESSION_HOURS = 6  # with an hour's lunch break
WEEKDAYS = (0, 1, 2, 3, 4)


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() not in WEEKDAYS:
        day += timedelta(days=1)
    return day


def working_days(first: date, count: int) -> list[date]:
    days = [first if first.weekday() in WEEKDAYS else next_working_day(first)]
    while len(days) < count:
        days.append(next_working_day(days[-1]))
    return days


@dataclass(frozen=True)
class CourseCalendar:
    """A course's sessions, six hours each: ``first``, whatever its weekday, then working days up to ``count``."""

    first: date
    count: int

    @property
    def days(self) -> list[date]:
        return [self.first, *working_days(next_working_day(self.first), self.count - 1)][: self.count]

    @property
    def last(self) -> date:
        return self.days[-1]


@dataclass(frozen=True)
class CohortCalendar:
    formed_on: date
    french: CourseCalendar
    trade: CourseCalendar

    @classmethod
    def from_formation(cls, formed_on: date, french_sessions: int, trade_sessions: int) -> CohortCalendar:
        french = CourseCalendar(formed_on, french_sessions)
        trade = CourseCalendar(next_working_day(french.last), trade_sessions)
        return cls(formed_on, french, trade)
