"""Keeping time_in_step's counts (``tables_durations``) equal to the facts, on PostgreSQL, by the rule of
``queries_sources.time_in_step``.

Cohorts due are summed again as the other summaries are (``adapters.summaries.sum_due``): their rows per cohort
are replaced, and only the difference between what they counted before and what they count now moves the
region's counts, in the days, the months and in every quarter's count to date from the difference's quarter on. A
cohort's people who took the same days to end a step as before move nothing; a cohort whose region arrived
after its people's steps (``cohort.created`` late, noted due when written) moves its counts from the
region-less key to its region. A whole version is counted from the facts in a few statements instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Integer, String, Table, bindparam, cast, delete, func, literal, or_, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.queries_sources import SOURCES, Dialect, scope_filter, truncated
from reporting_service.adapters.tables import fact_cohorts, fact_people
from reporting_service.adapters.tables_durations import (
    NO_REGION,
    fact_duration_cohorts,
    fact_duration_days,
    fact_duration_month_ranks,
    fact_duration_months,
    fact_duration_to_date,
)
from reporting_service.domain.indicators.figures import quantile_of_counts
from reporting_service.domain.scoping import Scope

INDICATOR = "time_in_step"
HALF, P90 = Decimal("0.5"), Decimal("0.9")
# One count: (region, the day the step ended, step, days).
Key = tuple[str, date, str, int]
KEY = ("region", "day", "category", "days")
TABLES = (
    fact_duration_cohorts,
    fact_duration_days,
    fact_duration_months,
    fact_duration_to_date,
    fact_duration_month_ranks,
)


def quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def of_cohorts(column: Any, cohorts: Collection[UUID | None] | None) -> list[Any]:
    """Rows of these cohorts (None among them: people with none yet); every row when ``cohorts`` is None."""
    if cohorts is None:
        return []
    named = sorted((cohort for cohort in cohorts if cohort is not None), key=str)
    found = [column.in_(named)] if named else []
    if None in cohorts:
        found.append(column.is_(None))
    return [or_(*found)] if found else [literal(False)]


def _counted_from_facts(version: int, cohorts: Collection[UUID | None] | None) -> Any:
    """Per cohort, its region now, day ended, step and days (``KEY``): the people, as ``time_in_step`` counts
    them."""
    d = Dialect(postgres=True)
    source = SOURCES[INDICATOR](d, version, date.max)
    p, c = fact_people.c, fact_cohorts.c
    day = cast(source.on, Date)
    region = func.coalesce(c.region, literal(NO_REGION, String))
    assert source.days is not None
    key = [p.cohort_id, region, day, source.category, source.days]  # the order of KEY
    where = [*source.where, *scope_filter(Scope("everything"), version, source), *of_cohorts(p.cohort_id, cohorts)]
    return select(literal(version), *key, func.count()).select_from(source.joined).where(*where).group_by(*key)


async def summarise(connection: AsyncConnection, version: int, cohorts: Collection[UUID | None] | None) -> None:
    """Count these cohorts of a version again (every cohort when None)."""
    if cohorts is None:
        await _whole(connection, version)
        return
    if not cohorts:
        return
    d = fact_duration_cohorts.c
    taken = await connection.execute(
        delete(fact_duration_cohorts)
        .where(d.version == version, *of_cohorts(d.cohort_id, cohorts))
        .returning(*(d[name] for name in KEY), d.people)
    )
    difference: Counter[Key] = Counter()
    for row in taken:
        difference[(row.region, row.day, row.category, row.days)] -= row.people
    columns = ["version", "cohort_id", *KEY, "people"]
    counted = await connection.execute(
        fact_duration_cohorts.insert()
        .from_select(columns, _counted_from_facts(version, cohorts))
        .returning(*(d[name] for name in KEY), d.people)
    )
    for row in counted:
        difference[(row.region, row.day, row.category, row.days)] += row.people
    moved = {key: people for key, people in difference.items() if people}
    if moved:
        await _move(connection, version, moved)


async def _move(connection: AsyncConnection, version: int, moved: dict[Key, int]) -> None:
    """Add the differences to their days, their months and to every quarter's count to date from their quarter
    on."""
    regions, ended, categories, days = (list(column) for column in zip(*moved, strict=True))
    arrays = {
        "regions": regions,
        "ended": ended,
        "categories": categories,
        "days": days,
        "people": list(moved.values()),
    }
    added = await connection.execute(_ADD_TO_DAYS, {**arrays, "version": version})
    await _forget_zeros(connection, fact_duration_days, "day", version, added)
    added = await connection.execute(_ADD_TO_MONTHS, {**arrays, "version": version})
    await _forget_zeros(connection, fact_duration_months, "month", version, added)
    t = fact_duration_to_date.c
    last = await connection.scalar(select(func.max(t.quarter)).where(t.version == version))
    needed = max(quarter_of(day) for day in ended)
    if last is not None and needed > last:
        # Quarters past the last one any step ended in: their counts to date are the last quarter's.
        await connection.execute(_CARRY_FORWARD, {"version": version, "last": last, "until": needed})
    until = max(needed, last or needed)
    added = await connection.execute(_ADD_TO_DATE, {**arrays, "version": version, "until": until})
    await _forget_zeros(connection, fact_duration_to_date, "quarter", version, added)
    await _rank(connection, version, {day.replace(day=1) for day in ended})


async def _forget_zeros(connection: AsyncConnection, table: Table, dated_by: str, version: int, added: Any) -> None:
    """Delete the counts the differences just brought to 0 (``added``: the rows the upsert returned): a count of
    nobody has no row."""
    zeros = [row for row in added if row.people == 0]
    if not zeros:
        return
    arrays = {
        "dated": ([row.dated for row in zeros], Date),
        "region": ([row.region for row in zeros], String),
        "category": ([row.category for row in zeros], String),
        "days": ([row.days for row in zeros], Integer),
    }
    zero = (
        func.unnest(*(bindparam(name, values, type_=postgresql.ARRAY(of)) for name, (values, of) in arrays.items()))
        .table_valued(*arrays)
        .render_derived(name="zero")
    )
    c = table.c
    await connection.execute(
        delete(table).where(
            c.version == version,
            c[dated_by] == zero.c.dated,
            c.region == zero.c.region,
            c.category == zero.c.category,
            c.days == zero.c.days,
            c.people == 0,
        )
    )


_MOVED = (
    "FROM unnest(CAST(:regions AS varchar[]), CAST(:ended AS date[]), CAST(:categories AS varchar[]), "
    "CAST(:days AS integer[]), CAST(:people AS integer[])) AS moved(region, day, category, days, people) "
)

_ADD_TO_DAYS = text(
    "INSERT INTO fact_duration_days (version, day, region, category, days, people) "
    "SELECT :version, moved.day, moved.region, moved.category, moved.days, moved.people "
    + _MOVED
    + "ON CONFLICT (version, day, region, category, days) "
    "DO UPDATE SET people = fact_duration_days.people + excluded.people "
    "RETURNING day AS dated, region, category, days, people"
)

# Those of one key on several days of a month added up first (an upsert may touch a row once).
_ADD_TO_MONTHS = text(
    "INSERT INTO fact_duration_months (version, month, region, category, days, people) "
    "SELECT :version, CAST(date_trunc('month', moved.day) AS date), moved.region, moved.category, moved.days, "
    "sum(moved.people) " + _MOVED + "GROUP BY 2, moved.region, moved.category, moved.days "
    "ON CONFLICT (version, month, region, category, days) "
    "DO UPDATE SET people = fact_duration_months.people + excluded.people "
    "RETURNING month AS dated, region, category, days, people"
)

# Each difference added to its quarter's count to date and every later one's, up to the last quarter; those of
# one key on several days of a quarter added up first.
_ADD_TO_DATE = text(
    "INSERT INTO fact_duration_to_date (version, quarter, region, category, days, people) "
    "SELECT :version, CAST(quarters.quarter AS date), moved.region, moved.category, moved.days, sum(moved.people) "
    + _MOVED
    + "CROSS JOIN LATERAL generate_series(date_trunc('quarter', moved.day), CAST(:until AS date), "
    "interval '3 months') AS quarters(quarter) "
    "GROUP BY quarters.quarter, moved.region, moved.category, moved.days "
    "ON CONFLICT (version, quarter, region, category, days) "
    "DO UPDATE SET people = fact_duration_to_date.people + excluded.people "
    "RETURNING quarter AS dated, region, category, days, people"
)

_CARRY_FORWARD = text(
    "INSERT INTO fact_duration_to_date (version, quarter, region, category, days, people) "
    "SELECT version, CAST(quarters.quarter AS date), region, category, days, people "
    "FROM fact_duration_to_date "
    "CROSS JOIN generate_series(CAST(:last AS date) + interval '3 months', CAST(:until AS date), "
    "interval '3 months') AS quarters(quarter) "
    "WHERE version = :version AND fact_duration_to_date.quarter = :last"
)


async def _rank(connection: AsyncConnection, version: int, months: Iterable[date] | None) -> None:
    """Each month's median and 90th percentile per step, from its counts over every region (these months, or
    every month when None)."""
    m, r = fact_duration_months.c, fact_duration_month_ranks.c
    where = [m.version == version]
    chosen = None if months is None else sorted(months)
    if chosen is not None:
        where.append(m.month == func.any(bindparam("months", chosen, type_=postgresql.ARRAY(Date))))
    counts: defaultdict[tuple[date, str], dict[Decimal, int]] = defaultdict(dict)
    rows = await connection.execute(
        select(m.month, m.category, m.days, func.sum(m.people).label("people"))
        .where(*where)
        .group_by(m.month, m.category, m.days)
    )
    for row in rows:
        if row.people:
            counts[(row.month, row.category)][Decimal(row.days)] = int(row.people)
    forgotten = [r.version == version]
    if chosen is not None:
        forgotten.append(r.month == func.any(bindparam("months", chosen, type_=postgresql.ARRAY(Date))))
    await connection.execute(delete(fact_duration_month_ranks).where(*forgotten))
    ranked = [
        {
            "version": version,
            "month": month,
            "category": category,
            "people": sum(days.values()),
            "median_days": quantile_of_counts(days, HALF),
            "p90_days": quantile_of_counts(days, P90),
        }
        for (month, category), days in counts.items()
    ]
    if ranked:
        await connection.execute(fact_duration_month_ranks.insert(), ranked)


async def _whole(connection: AsyncConnection, version: int) -> None:
    """Every count of the version again, from the facts: the cohorts, the days and the months added up, the
    counts to date made cumulative over a grid of quarters (every quarter from a count's first to the last), the
    ranks."""
    for table in TABLES:
        await connection.execute(delete(table).where(table.c.version == version))
    columns = ["version", "cohort_id", *KEY, "people"]
    await connection.execute(fact_duration_cohorts.insert().from_select(columns, _counted_from_facts(version, None)))
    d = fact_duration_cohorts.c
    month = truncated("month", d.day)
    for table, dated_by, dated in ((fact_duration_days, "day", d.day), (fact_duration_months, "month", month)):
        key = [dated, d.region, d.category, d.days]
        await connection.execute(
            table.insert().from_select(
                ["version", dated_by, "region", "category", "days", "people"],
                select(literal(version), *key, func.sum(d.people)).where(d.version == version).group_by(*key),
            )
        )
    await connection.execute(_WHOLE_TO_DATE, {"version": version})
    await _rank(connection, version, None)


_WHOLE_TO_DATE = text(
    "WITH per_quarter AS ("
    " SELECT region, category, days, CAST(date_trunc('quarter', month) AS date) AS quarter, sum(people) AS people"
    " FROM fact_duration_months WHERE version = :version GROUP BY 1, 2, 3, 4),"
    " firsts AS (SELECT region, category, days, min(quarter) AS first FROM per_quarter GROUP BY 1, 2, 3),"
    " grid AS (SELECT firsts.region, firsts.category, firsts.days, CAST(quarters.quarter AS date) AS quarter"
    "  FROM firsts CROSS JOIN (SELECT max(quarter) AS last FROM per_quarter) AS bounds"
    "  CROSS JOIN LATERAL generate_series(firsts.first, bounds.last, interval '3 months') AS quarters(quarter))"
    " INSERT INTO fact_duration_to_date (version, quarter, region, category, days, people)"
    " SELECT :version, grid.quarter, grid.region, grid.category, grid.days,"
    "  sum(coalesce(per_quarter.people, 0)) OVER ("
    "   PARTITION BY grid.region, grid.category, grid.days ORDER BY grid.quarter)"
    " FROM grid LEFT JOIN per_quarter USING (region, category, days, quarter)"
)
