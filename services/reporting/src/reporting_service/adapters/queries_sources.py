"""Each indicator's rule in SQL (the same definitions as ``domain.indicators.rules``, where they are written in
words and in Python): what a person contributes, the date that places it in a period, its category and values.

Everything reads one version of the read models (the active one). PostgreSQL and SQLite differ only in how a
day, a month and a number of days are written (``Dialect``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import TIMESTAMP, Date, Integer, String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from reporting_service.adapters.tables import (
    fact_attendance_person_months,
    fact_cohorts,
    fact_contracts,
    fact_follow_ups,
    fact_housing,
    fact_money,
    fact_people,
    fact_person_steps,
)
from reporting_service.domain.indicators.facts import EMPLOYED_OUTCOMES, ON_THE_PATH
from reporting_service.domain.indicators.rules import add_months
from reporting_service.domain.scoping import Scope

p, c = fact_people.c, fact_cohorts.c
Expression = ColumnElement[Any]


def truncated(unit: str, day: Expression) -> Expression:
    """PostgreSQL: the first day of the day's month or year, as a date. Truncated as a timestamp without time zone:
    a date is otherwise cast to a timestamp with time zone, whose truncation converts through the session's zone on
    every row (work_study_contracts' statement at national scale: 34 ms, 28 without)."""
    return cast(func.date_trunc(unit, cast(day, TIMESTAMP)), Date)


@dataclass(frozen=True)
class Dialect:
    postgres: bool

    def day(self, instant: Expression) -> Expression:
        return cast(instant, Date) if self.postgres else func.date(instant, type_=Date)

    def month(self, day: Expression) -> Expression:
        """The month's first day on PostgreSQL (labelled YYYY-MM once grouped: a million dates sort and compare far
        faster than the text of their months, 0.4 s against 0.85 s measured); its text on SQLite."""
        if self.postgres:
            return truncated("month", day)
        return func.strftime("%Y-%m", day)

    def days_between(self, start: Expression, end: Expression) -> Expression:
        if self.postgres:
            return cast(self.day(end) - self.day(start), Integer)
        return cast(func.julianday(self.day(end)) - func.julianday(self.day(start)), Integer)


@dataclass(frozen=True)
class Source:
    """What an indicator's query reads: FROM (people and their cohort joined), WHERE, the dating expression,
    the category, the values summed, the days ranked and, for money rows, the funder column."""

    joined: FromClause
    on: Expression
    category: Expression
    where: Sequence[Expression] = ()
    sums: Mapping[str, Expression] = field(default_factory=dict)
    days: Expression | None = None
    funder: Expression | None = None
    # Whether a person may give several rows to one cell (months, agreements): then people are counted distinct.
    repeats: bool = False
    # The instant ``on`` is the UTC day of, when it is one column: the period is then filtered on the column itself,
    # which PostgreSQL has statistics for (on a cast it guesses, and a guess of a few rows makes it loop).
    instant: Expression | None = None
    # For rows a person repeats (months): the same contributions added up per person, from the conditions on the
    # rows (``where`` and the period), for every grouping but the month: one row per person, nobody to count
    # twice, so the database counts rows instead of sorting every cell's people to count them distinct.
    per_person: Callable[[Sequence[Expression]], Source] | None = None


def people_of(version: int) -> FromClause:
    return fact_people.outerjoin(fact_cohorts, and_(c.version == p.version, c.cohort_id == p.cohort_id))


def _step(number: int) -> Any:
    alias = fact_person_steps.alias(f"step{number}")
    return alias, and_(alias.c.version == p.version, alias.c.beneficiary_id == p.beneficiary_id, alias.c.step == number)


# The instant a person left the path (withdrawn or completed). Migration 0006 gives PostgreSQL statistics on this
# very expression: filtered on it (not on its day, a cast it cannot estimate), the leavers are counted right and
# joined to their steps by hash rather than looked up one by one (1.0 s -> 0.3 s at national scale).
LEFT_AT = func.coalesce(p.withdrawn_at, p.completed_at)


def _left_after_step3(d: Dialect, version: int) -> tuple[FromClause, Expression, list[Expression]]:
    step3, joined_on = _step(3)
    left = d.day(LEFT_AT)
    joined = people_of(version).join(step3, joined_on)
    return joined, left, [step3.c.started_at.is_not(None), LEFT_AT.is_not(None), d.day(step3.c.started_at) <= left]


def _left_on_or_before(d: Dialect, last: date) -> Expression:
    """Left on ``last`` or before: on PostgreSQL as a range of the instant (the same UTC days)."""
    if d.postgres:
        return datetime.combine(last + timedelta(days=1), time(), UTC) > LEFT_AT
    return d.day(LEFT_AT) <= last


def entries(d: Dialect, version: int, as_of: date) -> Source:
    on = d.day(p.registered_at)
    return Source(people_of(version), on, literal("entered"), [p.registered_at.is_not(None)], instant=p.registered_at)


def people_per_step(d: Dialect, version: int, as_of: date) -> Source:
    on = d.day(p.registered_at)
    where = [p.registered_at.is_not(None), p.status.in_(ON_THE_PATH)]
    return Source(people_of(version), on, p.status, where, instant=p.registered_at)


def housed_on(night: date) -> Expression:
    """A placement of ``fact_housing`` covers the night: within [starts_on, ends_on) and not released before."""
    h = fact_housing.c
    return and_(h.starts_on <= night, h.ends_on > night, or_(h.released_on.is_(None), h.released_on > night))


def people_without_housing(d: Dialect, version: int, as_of: date) -> Source:
    h = fact_housing.c
    housed = exists().where(h.version == p.version, h.beneficiary_id == p.beneficiary_id, housed_on(as_of))
    category = case((housed, "housed"), else_="not_housed")
    where = [p.registered_at.is_not(None), p.status.in_(ON_THE_PATH)]
    return Source(people_of(version), d.day(p.registered_at), category, where, instant=p.registered_at)


def work_study_contracts(d: Dialect, version: int, as_of: date) -> Source:
    k = fact_contracts.c
    joined = people_of(version).join(fact_contracts, and_(k.version == p.version, k.beneficiary_id == p.beneficiary_id))
    where = [k.signed_at.is_not(None), k.contract_type.is_not(None)]
    sums = {"contracts": literal(1, Integer)}
    return Source(joined, d.day(k.signed_at), k.contract_type, where, sums, repeats=True, instant=k.signed_at)


def time_in_step(d: Dialect, version: int, as_of: date) -> Source:
    s = fact_person_steps.c
    joined = fact_person_steps.join(
        fact_people, and_(p.version == s.version, p.beneficiary_id == s.beneficiary_id)
    ).outerjoin(fact_cohorts, and_(c.version == p.version, c.cohort_id == p.cohort_id))
    days = d.days_between(s.started_at, s.completed_at)
    category = literal("step_") + cast(s.step, String)
    where = [s.version == version, s.started_at.is_not(None), s.completed_at.is_not(None), days >= 0]
    return Source(joined, d.day(s.completed_at), category, where, days=days, instant=s.completed_at)


def dropouts_by_reason(d: Dialect, version: int, as_of: date) -> Source:
    return Source(
        people_of(version),
        d.day(p.withdrawn_at),
        func.coalesce(p.withdrawal_reason, "other"),
        [p.withdrawn_at.is_not(None)],
        instant=p.withdrawn_at,
    )


def attendance_rate(d: Dialect, version: int, as_of: date) -> Source:
    # One row per person and month (the steps added up): grouped by month, rows are people; every other grouping
    # adds a person's months up first (``per_person``).
    m = fact_attendance_person_months.c
    joined = people_of(version).join(
        fact_attendance_person_months, and_(m.version == p.version, m.beneficiary_id == p.beneficiary_id)
    )
    sums = {"recorded": m.hours_recorded, "attended": m.hours_attended}
    where = [m.hours_recorded > 0]
    return Source(joined, m.month, literal("attended"), where, sums, per_person=_hours_per_person(version))


def _hours_per_person(version: int) -> Callable[[Sequence[Expression]], Source]:
    def per_person(rows_where: Sequence[Expression]) -> Source:
        m = fact_attendance_person_months.c
        hours = (
            select(
                m.beneficiary_id,
                func.sum(m.hours_recorded).label("recorded"),
                func.sum(m.hours_attended).label("attended"),
            )
            .where(m.version == version, *rows_where)
            .group_by(m.beneficiary_id)
            .subquery("hours_per_person")
        )
        joined = people_of(version).join(hours, hours.c.beneficiary_id == p.beneficiary_id)
        sums = {"recorded": hours.c.recorded, "attended": hours.c.attended}
        # No date of its own (the months were filtered inside): never grouped by month.
        return Source(joined, literal(None, Date), literal("attended"), sums=sums)

    return per_person


def french_certification(d: Dialect, version: int, as_of: date) -> Source:
    step3, joined_on = _step(3)
    ended = d.day(step3.c.completed_at)
    # The level attested at the end of the step, kept on the step's row at ingest (``adapters/levels.py``).
    whens = {"": "not_assessed", "pre_A1": "A1_or_below", "A1": "A1_or_below", "A2": "A2", "B1": "B1"}
    category = case(whens, value=func.coalesce(step3.c.level_attested, ""), else_="B2_or_above")
    where = [step3.c.completed_at.is_not(None)]
    return Source(people_of(version).join(step3, joined_on), ended, category, where, instant=step3.c.completed_at)


def trade_qualification(d: Dialect, version: int, as_of: date) -> Source:
    where = [p.qualification_result.is_not(None), p.qualification_awarded_on.is_not(None)]
    return Source(people_of(version), p.qualification_awarded_on, p.qualification_result, where)


def _employed(outcome: Expression) -> Expression:
    return outcome.in_(sorted(EMPLOYED_OUTCOMES))


def employment_at_exit(d: Dialect, version: int, as_of: date) -> Source:
    joined, left, where = _left_after_step3(d, version)
    outcome = p.exit_outcome
    category = case((outcome.is_(None), "no_outcome"), (_employed(outcome), "employed"), else_="not_employed")
    return Source(joined, left, category, where, instant=LEFT_AT)


def employment_after(months: int) -> Callable[[Dialect, int, date], Source]:
    def source(d: Dialect, version: int, as_of: date) -> Source:
        joined, left, where = _left_after_step3(d, version)
        f = fact_follow_ups.c
        joined = joined.outerjoin(
            fact_follow_ups,
            and_(f.version == p.version, f.beneficiary_id == p.beneficiary_id, f.months_after_exit == months),
        )
        category = case(
            (f.status == "unreachable", "unreachable"),
            (and_(f.status == "done", _employed(f.outcome_code)), "employed"),
            (f.status == "done", "not_employed"),
            else_="not_recorded",
        )
        where = [*where, _left_on_or_before(d, add_months(as_of, -months))]
        return Source(joined, left, category, where, instant=LEFT_AT)

    return source


def money_by_funder(d: Dialect, version: int, as_of: date) -> Source:
    m = fact_money.c
    joined = people_of(version).join(fact_money, and_(m.version == p.version, m.beneficiary_id == p.beneficiary_id))
    engaged = m.committed - m.released + m.beyond_commitment
    sums = {"committed": engaged, "consumed": m.consumed, "claimed": m.claimed, "paid": m.paid}
    return Source(
        joined,
        d.day(p.registered_at),
        literal("financed"),
        [p.registered_at.is_not(None)],
        sums,
        funder=m.funder_id,
        repeats=True,
        instant=p.registered_at,
    )


def cost_per_person(d: Dialect, version: int, as_of: date) -> Source:
    m = fact_money.c
    joined = people_of(version).join(fact_money, and_(m.version == p.version, m.beneficiary_id == p.beneficiary_id))
    step3, joined_on = _step(3)
    joined = joined.outerjoin(step3, joined_on)
    left = d.day(func.coalesce(p.withdrawn_at, p.completed_at))
    employed = and_(
        step3.c.started_at.is_not(None), left.is_not(None), d.day(step3.c.started_at) <= left, _employed(p.exit_outcome)
    )
    category = case((employed, "employed"), else_="not_employed")
    return Source(
        joined,
        d.day(p.registered_at),
        category,
        [p.registered_at.is_not(None)],
        {"consumed": m.consumed},
        funder=m.funder_id,
        repeats=True,
        instant=p.registered_at,
    )


SOURCES: dict[str, Callable[[Dialect, int, date], Source]] = {
    "entries": entries,
    "people_per_step": people_per_step,
    "time_in_step": time_in_step,
    "dropouts_by_reason": dropouts_by_reason,
    "attendance_rate": attendance_rate,
    "french_certification": french_certification,
    "trade_qualification": trade_qualification,
    "employment_at_exit": employment_at_exit,
    **{f"employment_at_{months}_months": employment_after(months) for months in (3, 6, 12)},
    "money_by_funder": money_by_funder,
    "cost_per_person": cost_per_person,
    "people_without_housing": people_without_housing,
    "work_study_contracts": work_study_contracts,
}


def scope_filter(scope: Scope, version: int, source: Source) -> list[Expression]:
    """The rows the caller may see: its cohorts' people, or the people its agreements finance (and only its
    own money rows)."""
    found: list[Expression] = [p.version == version, *cohorts_in_scope(scope, p.cohort_id)]
    if scope.kind == "funder":
        funders = sorted(scope.funder_ids, key=str) or [UUID(int=0)]
        if source.funder is not None:
            found.append(source.funder.in_(funders))
        else:
            m = fact_money.c
            financed = exists().where(
                m.version == p.version, m.beneficiary_id == p.beneficiary_id, m.funder_id.in_(funders)
            )
            found.append(financed)
    return found


def cohorts_in_scope(scope: Scope, cohort: Expression) -> list[Expression]:
    """The cohorts the caller may see, ``cohort`` being the column joined to ``fact_cohorts``: the one asked for,
    a provider's own (a funder's scope is people, not cohorts: ``scope_filter``)."""
    found: list[Expression] = []
    if scope.cohort_id is not None:
        found.append(cohort == scope.cohort_id)
    if scope.kind == "training_provider":
        found.append(c.training_provider_org_id == scope.org_id)
    elif scope.kind == "support_provider":
        found.append(c.support_provider_org_id == scope.org_id)
    return found


def dimension(by: str, d: Dialect, source: Source) -> Expression:
    columns: dict[str, Expression] = {
        "region": c.region,
        "sector": func.coalesce(p.sector_code, c.sector_code),
        "cohort": p.cohort_id,
        "provider": c.training_provider_org_id,
        "track": func.coalesce(p.track, c.track),
        "month": d.month(source.on),
    }
    if by == "funder":
        return source.funder if source.funder is not None else literal(None, String)
    return columns[by]
