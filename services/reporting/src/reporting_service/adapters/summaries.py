"""Summing the indicators up per cohort and month (``tables_summaries``), by the very rules of
``queries_sources``: each summary row is what the old query would have counted for that cohort, person's sector
and track, month and category, so adding rows up gives the old answer (``queries_summaries`` reads them).

A transaction that writes people's facts notes their cohorts as due (``note_due``: the cohorts they were in
before and after), whatever the path that wrote them (live consumers, a rebuild's batches); the next answer
read from the summaries sums the due cohorts again first (``sum_due_apart``), in a short transaction of its
own, so it reads summaries equal to the facts it would have read. So that answers seldom have any to sum, the
running service sums the active version's due cohorts in the background too (the scheduled job
``summaries``, every ``HOPE_REPORTING_SUMMARY_INTERVAL_S``), and a rebuilt version is summed as it is switched
to (``versions.activate``). Summing at every poll instead left the live ingest 354 events/s
(1,742 without summaries, loads 4 to 10: a poll touches a hundred cohorts, a cohort summed takes 10 to 40 ms);
noting them costs about 3 % of it (0.5 s of the benchmark's 20 s live run). A whole version is summed by
``summarise`` (migration 0011, facts written outside the consumers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Date as DateType
from sqlalchemy import Delete, Insert, and_, delete, func, literal, select, union_all
from sqlalchemy import Table as Table_
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.sets import among
from reporting_service.adapters import durations, regions
from reporting_service.adapters.durations import of_cohorts
from reporting_service.adapters.pending import PendingWrites
from reporting_service.adapters.queries_sources import SOURCES, Dialect, Expression, scope_filter, truncated
from reporting_service.adapters.tables import fact_attendance_person_months, fact_cohorts, fact_people
from reporting_service.adapters.tables_summaries import (
    fact_attendance_cells,
    fact_attendance_years,
    fact_contract_days,
    fact_indicator_cells,
    fact_indicator_days,
    summary_due,
    summary_nights,
)
from reporting_service.domain.indicators.facts import FOLLOW_UP_MONTHS
from reporting_service.domain.scoping import Scope

# The indicators summed in ``fact_indicator_cells``: a person counts once in a month (their rows share its day)
# and nothing depends on the day the figures are asked for, but when a follow-up is due, which only bounds the
# period (``DUE_AFTER``). Left to the facts: time_in_step (its ranks need every duration: a summary of days
# per cohort and month has as many rows as the steps). people_without_housing (housed the night asked) is summed
# in the same rows for one night at a time (``HOUSING``, ``housing_for_night``). work_study_contracts has a
# summary of its own (``CONTRACTS``): a person's two contracts of one type, in two months, count once.
SUMMARISED = (
    "entries",
    "people_per_step",
    "dropouts_by_reason",
    "french_certification",
    "trade_qualification",
    "employment_at_exit",
    *(f"employment_at_{months}_months" for months in FOLLOW_UP_MONTHS),
    "money_by_funder",
    "cost_per_person",
)
ATTENDANCE = "attendance_rate"
CONTRACTS = "work_study_contracts"
# Summed like the others, but for the night ``summary_nights`` names: its categories depend on that night.
HOUSING = "people_without_housing"
# Employment at N months counts those who left at least N months before the day asked: the month summed is the
# day they left, so that condition is the end of the period read, N months before that day.
DUE_AFTER = {f"employment_at_{months}_months": months for months in FOLLOW_UP_MONTHS}
# Summed with no follow-up left undue: the condition comes back as the end of the period read.
NEVER = date.max
MONEY = ("committed", "consumed", "claimed", "paid")
# The money each summarised indicator adds up (the others count people only).
SUMMED = {"money_by_funder": MONEY, "cost_per_person": ("consumed",)}
CHUNK = 2000
# More cohorts due than this: the whole version is summed (one pass over the facts, not an IN list of them all).
WHOLE = 500
# The advisory lock's first key (``sum_due``), the version its second: "rs" for reporting's summaries.
SUMMING = 0x7273

Cohorts = Collection[UUID | None] | None


def month_of(d: Dialect, day: Expression) -> Expression:
    """The first day of the day's month, as a date on both databases."""
    if d.postgres:
        return truncated("month", day)
    return func.date(day, "start of month", type_=DateType)


def year_of(d: Dialect, day: Expression) -> Expression:
    """The first day of the day's year, as a date on both databases."""
    if d.postgres:
        return truncated("year", day)
    return func.date(day, "start of year", type_=DateType)


def _days(d: Dialect, version: int, indicator_id: str, cohorts: Cohorts, as_of: date = NEVER) -> Any:
    source = SOURCES[indicator_id](d, version, as_of)
    p = fact_people.c
    people = func.count(p.beneficiary_id.distinct()) if source.repeats else func.count()
    key = [p.cohort_id, p.sector_code, p.track, source.on, source.category]
    sums = [func.coalesce(func.sum(source.sums[name]), 0) if name in source.sums else literal(0) for name in MONEY]
    where = [*source.where, *scope_filter(Scope("everything"), version, source), *of_cohorts(p.cohort_id, cohorts)]
    return (
        select(literal(indicator_id), literal(version), *key, people, *sums)
        .select_from(source.joined)
        .where(*where, source.on.is_not(None))
        .group_by(*key)
    )


CELLS = ["indicator", "version", "cohort_id", "sector_code", "track"]


def days_insert(
    d: Dialect,
    version: int,
    cohorts: Cohorts = None,
    night: date | None = None,
    indicator_ids: Sequence[str] = SUMMARISED,
) -> Insert:
    """The summarised indicators' rows per day (every one's, or ``indicator_ids``') of these cohorts (of every
    cohort when None), in one statement, by the rules of ``queries_sources``; people_without_housing's too when a
    ``night`` is given."""
    selects = [_days(d, version, indicator_id, cohorts) for indicator_id in indicator_ids]
    if night is not None:
        selects.append(_days(d, version, HOUSING, cohorts, night))
    columns = [*CELLS, "day", "category", "people", *MONEY]
    return fact_indicator_days.insert().from_select(columns, union_all(*selects))


def months_insert(d: Dialect, version: int, cohorts: Cohorts = None, indicator_id: str | None = None) -> Insert:
    """The rows per day added up per month (a person's contributions to an indicator share a day): every
    indicator's, or ``indicator_id``'s."""
    s = fact_indicator_days.c
    key = [*(s[name] for name in CELLS), month_of(d, s.day), s.category]
    only = [] if indicator_id is None else [s.indicator == indicator_id]
    rows = (
        select(*key, func.sum(s.people), *(func.sum(s[name]) for name in MONEY))
        .where(s.version == version, *of_cohorts(s.cohort_id, cohorts), *only)
        .group_by(*key)
    )
    return fact_indicator_cells.insert().from_select([*CELLS, "month", "category", "people", *MONEY], rows)


def _attendance_months(version: int, cohorts: Cohorts) -> Any:
    """Each person's months with hours recorded, with the month before among them (``previous_month``)."""
    m, p = fact_attendance_person_months.c, fact_people.c
    return (
        select(
            p.cohort_id,
            p.sector_code,
            p.track,
            m.beneficiary_id,
            m.month,
            func.lag(m.month).over(partition_by=m.beneficiary_id, order_by=m.month).label("previous_month"),
            m.hours_recorded,
            m.hours_attended,
        )
        .select_from(
            fact_attendance_person_months.join(
                fact_people, and_(p.version == m.version, p.beneficiary_id == m.beneficiary_id)
            )
        )
        .where(m.version == version, m.hours_recorded > 0, *of_cohorts(p.cohort_id, cohorts))
        .subquery("months")
    )


def _attendance_rows(version: int, months: Any, dated_by: str, table: Table_) -> Insert:
    """``months`` (a row per person and ``dated_by``, a month or a year) added up per cohort, sector, track,
    ``dated_by`` and previous month."""
    key = [months.c[name] for name in ("cohort_id", "sector_code", "track", dated_by, "previous_month")]
    rows = select(
        literal(version), *key, func.count(), func.sum(months.c.hours_recorded), func.sum(months.c.hours_attended)
    ).group_by(*key)
    columns = ["version", "cohort_id", "sector_code", "track", dated_by, "previous_month", "people"]
    return table.insert().from_select([*columns, "hours_recorded", "hours_attended"], rows)


def attendance_insert(d: Dialect, version: int, cohorts: Cohorts = None) -> Insert:
    """The attendance rate's rows of these cohorts: each person's months with hours recorded, with the month
    before among them, added up."""
    months = _attendance_months(version, cohorts)
    return _attendance_rows(version, months, "month", fact_attendance_cells)


def attendance_years_insert(d: Dialect, version: int, cohorts: Cohorts = None) -> Insert:
    """The same per year: each person's year (their months in it added up) with their last month before it."""
    months = _attendance_months(version, cohorts)
    year = year_of(d, months.c.month)
    # Only the year's first month has a previous one before the year: the person's last month before it.
    before = func.min(months.c.previous_month).filter(months.c.previous_month < year)
    person_years = (
        select(
            months.c.cohort_id,
            months.c.sector_code,
            months.c.track,
            year.label("year"),
            before.label("previous_month"),
            func.sum(months.c.hours_recorded).label("hours_recorded"),
            func.sum(months.c.hours_attended).label("hours_attended"),
        )
        .group_by(months.c.cohort_id, months.c.sector_code, months.c.track, months.c.beneficiary_id, year)
        .subquery("person_years")
    )
    return _attendance_rows(version, person_years, "year", fact_attendance_years)


def contracts_insert(d: Dialect, version: int, cohorts: Cohorts = None) -> Insert:
    """work_study_contracts' rows of these cohorts, by its rule (``queries_sources``): each person's days with a
    contract of a type (several that day: one person), with their previous such day, added up."""
    source = SOURCES[CONTRACTS](d, version, NEVER)
    p = fact_people.c
    where = [*source.where, *scope_filter(Scope("everything"), version, source), *of_cohorts(p.cohort_id, cohorts)]
    person_days = (
        select(
            p.cohort_id,
            p.sector_code,
            p.track,
            p.beneficiary_id,
            source.on.label("day"),
            source.category.label("category"),
            func.count().label("contracts"),
        )
        .select_from(source.joined)
        .where(*where)
        .group_by(p.cohort_id, p.sector_code, p.track, p.beneficiary_id, source.on, source.category)
        .subquery("person_days")
    )
    days = person_days.c
    previous = func.lag(days.day).over(partition_by=[days.beneficiary_id, days.category], order_by=days.day)
    lagged = select(
        days.cohort_id,
        days.sector_code,
        days.track,
        days.day,
        days.category,
        previous.label("previous_day"),
        days.contracts,
    ).subquery("lagged")
    key = [lagged.c[name] for name in ("cohort_id", "sector_code", "track", "day", "category", "previous_day")]
    rows = select(literal(version), *key, func.count(), func.sum(lagged.c.contracts)).group_by(*key)
    columns = ["version", "cohort_id", "sector_code", "track", "day", "category", "previous_day"]
    return fact_contract_days.insert().from_select([*columns, "people", "contracts"], rows)


def cells_delete(version: int, cohorts: Cohorts = None) -> list[Delete]:
    return [
        delete(table).where(table.c.version == version, *of_cohorts(table.c.cohort_id, cohorts))
        for table in (fact_indicator_days, fact_indicator_cells, fact_attendance_cells)
    ]


def statements(postgres: bool, version: int, cohorts: Cohorts = None, night: date | None = None) -> list[Any]:
    """What sums these cohorts of a version again (every cohort when None): their rows deleted, then inserted
    (people_without_housing's for ``night``, when the version has one)."""
    d = Dialect(postgres)
    inserts = [
        days_insert(d, version, cohorts, night),
        months_insert(d, version, cohorts),
        attendance_insert(d, version, cohorts),
    ]
    return [*cells_delete(version, cohorts), *inserts]


def statements_0014(postgres: bool, version: int, cohorts: Cohorts = None) -> list[Any]:
    """The same for the summaries migration 0014 adds (work_study_contracts', attendance per year). Apart from
    ``statements``, which migration 0011 runs before their tables exist."""
    d = Dialect(postgres)
    deleted = [
        delete(table).where(table.c.version == version, *of_cohorts(table.c.cohort_id, cohorts))
        for table in (fact_contract_days, fact_attendance_years)
    ]
    return [*deleted, contracts_insert(d, version, cohorts), attendance_years_insert(d, version, cohorts)]


async def summarise(connection: AsyncConnection, version: int, cohorts: Cohorts = None) -> None:
    postgres = connection.dialect.name == "postgresql"
    # The regional rows (PostgreSQL only) move by the difference: what the cohorts' rows added comes out first.
    before, after = (regions.taken_out(version, cohorts), regions.added(version, cohorts)) if postgres else ([], [])
    night = await connection.scalar(select(summary_nights.c.night).where(summary_nights.c.version == version))
    cohorts_rows = [*statements(postgres, version, cohorts, night), *statements_0014(postgres, version, cohorts)]
    for statement in [*before, *cohorts_rows, *after]:
        await connection.execute(statement)
    if postgres:  # time_in_step's counts (``tables_durations``: PostgreSQL only)
        await durations.summarise(connection, version, cohorts)


def people_written(pending: PendingWrites, *rows: Iterable[Mapping[str, Any]]) -> set[UUID]:
    """The people whose facts a transaction is about to write: named by its pending rows (``beneficiary_id``)
    and by the ``rows`` (money movements, each session's attendance lines) it writes itself."""
    return {
        row["beneficiary_id"]
        for written in (pending.waiting(), *rows)
        for row in written
        if isinstance(row.get("beneficiary_id"), UUID)
    }


def cohorts_written(pending: PendingWrites) -> set[UUID | None]:
    """The cohorts whose own facts (``fact_cohorts``: region, sector…) a transaction is about to write."""
    return {row["cohort_id"] for row in pending.waiting(fact_cohorts) if isinstance(row.get("cohort_id"), UUID)}


async def cohorts_of(connection: AsyncConnection, version: int, people: Collection[UUID]) -> set[UUID | None]:
    """The cohorts these people are in (None: some are in none), as the version's facts say now."""
    p = fact_people.c
    found: set[UUID | None] = set()
    ordered = sorted(people, key=str)
    for start in range(0, len(ordered), CHUNK):
        named = among(connection, p.beneficiary_id, ordered[start : start + CHUNK])
        rows = await connection.execute(select(p.cohort_id).where(p.version == version, named).distinct())
        found.update(row.cohort_id for row in rows)
    return found


async def note_due(
    connection: AsyncConnection, version: int, people: Collection[UUID], before: set[UUID | None]
) -> None:
    """After the people's facts were written: the cohorts they were in ``before`` and are in now are due to be
    summed again (``sum_due``, by the next answer); ``before`` holds the cohorts written too (their region moves
    time_in_step's counts)."""
    cohorts = before | (await cohorts_of(connection, version, people) if people else set())
    rows = [{"version": version, "cohort_id": cohort} for cohort in sorted(cohorts, key=str)]
    if rows:  # none when the people have no row yet (their money or sheet came first): nothing they count in
        await connection.execute(summary_due.insert(), rows)


async def sum_due_apart(connection: AsyncConnection, version: int) -> None:
    """Sum the due cohorts, when there are any, in a transaction of its own committed at once: the lock that
    keeps two summings apart is then held only while summing, not for the rest of the answer, and answers with
    nothing due take none (at READ COMMITTED the caller's next statements see the sums)."""
    due = summary_due.c
    if await connection.scalar(select(due.version).where(due.version == version).limit(1)) is None:
        return
    async with connection.engine.begin() as summing:
        await sum_due(summing, version)


async def housing_for_night(connection: AsyncConnection, version: int, night: date) -> None:
    """people_without_housing's rows counted for ``night`` (the night an answer asks for), when they were counted
    for another or not yet: in a transaction of its own, as ``sum_due_apart``, one at a time per version. Every
    cohort's rows at once, about a second's work at national scale, once a day: answers then read a few thousand
    summary rows instead of every person on the path with their placements."""
    n = summary_nights.c
    counted = select(n.night).where(n.version == version)
    if await connection.scalar(counted) == night:
        return
    async with connection.engine.begin() as summing:
        postgres = summing.dialect.name == "postgresql"
        if postgres:
            await summing.execute(select(func.pg_advisory_xact_lock(SUMMING, version)))
            if await summing.scalar(counted) == night:  # counted by another answer meanwhile
                return
        for statement in _housing_statements(postgres, version, night):
            await summing.execute(statement)


def _housing_statements(postgres: bool, version: int, night: date) -> list[Any]:
    """people_without_housing's rows of every cohort replaced by those of ``night``, and the night noted."""
    d = Dialect(postgres)
    s, t, n = fact_indicator_days.c, fact_indicator_cells.c, summary_nights.c
    replaced: list[Any] = regions.indicator_taken_out(version, HOUSING) if postgres else []
    replaced += [
        delete(fact_indicator_days).where(s.version == version, s.indicator == HOUSING),
        delete(fact_indicator_cells).where(t.version == version, t.indicator == HOUSING),
        days_insert(d, version, None, night, indicator_ids=()),
        months_insert(d, version, None, HOUSING),
        delete(summary_nights).where(n.version == version),
        summary_nights.insert().values(version=version, night=night),
    ]
    return replaced + (regions.indicator_added(version, HOUSING) if postgres else [])


async def sum_due(connection: AsyncConnection, version: int, whole: bool = False) -> int:
    """Sum again the cohorts due in this version, in the caller's transaction; ``whole``: every cohort, due or not
    (a rebuilt version: its batches noted none). On PostgreSQL one transaction at a time per version (an advisory
    lock held to its end): two summing one cohort together would each delete the rows they see and insert their
    own, twice the rows; after the lock, each statement sees what the one before committed. Returns how many
    cohorts were due."""
    due = summary_due.c
    if connection.dialect.name == "postgresql":
        await connection.execute(select(func.pg_advisory_xact_lock(SUMMING, version)))
        taken = await connection.execute(delete(summary_due).where(due.version == version).returning(due.cohort_id))
        cohorts = {row.cohort_id for row in taken}
    else:
        cohorts = {
            row.cohort_id for row in await connection.execute(select(due.cohort_id).where(due.version == version))
        }
        await connection.execute(delete(summary_due).where(due.version == version))
    if cohorts or whole:
        # Past a few hundred cohorts (a migration) the whole version is summed in one go.
        await summarise(connection, version, cohorts if len(cohorts) <= WHOLE and not whole else None)
    return len(cohorts)
