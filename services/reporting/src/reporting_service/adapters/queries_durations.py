"""time_in_step answered from its counts (``tables_durations``), on PostgreSQL, for the whole programme by region,
by month and in total: the groupings of the programme's own dashboard and of the benchmark's national tables.
Any other grouping or scope ranks the facts (``queries``): a provider's or a cohort's steps are few.

By region and in total, a period's durations are the counts to date at its last day less those at the day before
it starts. The counts to date at a day: the latest quarter that ended by then, the whole months after it, and the
days of the day's own month up to it. One statement adds the six parts up, with their signs, per region, step and
duration, and the medians and 90th percentiles are ranked here from those counts, exactly (``_ranked``). By month,
each whole month's ranks are read as they were kept, and the months the period cuts are ranked the same way from
the counts of the days it holds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any

from sqlalchemy import Date, Integer, bindparam, cast, func, literal, literal_column, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.durations import HALF, INDICATOR, P90, quarter_of
from reporting_service.adapters.summaries import sum_due_apart
from reporting_service.adapters.tables_durations import (
    NO_REGION,
    fact_duration_days,
    fact_duration_month_ranks,
    fact_duration_months,
    fact_duration_to_date,
)
from reporting_service.domain.indicators.figures import Cell, Table, month_label
from reporting_service.domain.indicators.rules import add_months
from reporting_service.domain.scoping import Scope

ANSWERED = {"region", "month", None}


def counted(indicator_id: str, groupings: Sequence[str | None], scope: Scope, postgres: bool) -> bool:
    """Whether the counts answer: time_in_step, the whole programme, by region, by month or in total."""
    everything = scope.kind == "everything" and scope.cohort_id is None
    return postgres and indicator_id == INDICATOR and everything and set(groupings) <= ANSWERED


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _last_ended_quarter(day: date) -> date:
    """The first day of the latest quarter whose last day is ``day`` or before."""
    return add_months(quarter_of(day + timedelta(days=1)), -3)


class DurationQueries:
    def __init__(self, connection: AsyncConnection, version: int) -> None:
        self._connection = connection
        self._version = version

    async def tables(self, groupings: Sequence[str | None], start: date, end: date) -> list[Table]:
        await sum_due_apart(self._connection, self._version)
        found: dict[str | None, Table] = {}
        if start > end:
            return [Table((), {}) for _ in groupings]
        if "region" in groupings or None in groupings:
            by_region, totals = await self._period_ranks(start, end, "region" in groupings)
            found["region"], found[None] = by_region, totals
        if "month" in groupings:
            found["month"] = await self._months(start, end)
        return [found[by] for by in groupings]

    # By region and in total: two counts to date apart, ranked here.

    async def _period_ranks(self, start: date, end: date, by_region: bool) -> tuple[Table, Table]:
        """The period's people, median and 90th percentile per region and step (when ``by_region``), and per step
        over every region (``_period_statement``)."""
        bounds = {"version": self._version, **_bounds("end", end), **_bounds("before", start - timedelta(days=1))}
        regions: dict[tuple[str, str], Cell] = {}
        totals: dict[tuple[str, str], Cell] = {}
        for row in await self._connection.execute(_period_statement(by_region), bounds):
            if row.whole:
                totals[("", row.category)] = _ranked(row.days, row.people)
            else:
                regions[(_region(row.region), row.category)] = _ranked(row.days, row.people)
        return _of_cells(regions), _of_cells(totals)

    # By month: the whole months' ranks as kept, the months cut by the period ranked from their days' counts.

    async def _months(self, start: date, end: date) -> Table:
        first_whole = start if start.day == 1 else add_months(_month_start(start), 1)
        after_last = _month_start(end + timedelta(days=1))  # the month after the last whole one
        cells: dict[tuple[str, str], Cell] = {}
        if first_whole < after_last:
            kept = {"version": self._version, "first": first_whole, "after": after_last}
            # Unpacked, not read by name: a row's attributes by name were two thirds of the loop (1.8 of 2.7 ms for
            # ten years' months, measured in process at national scale). NUMERIC arrives as Decimal.
            for month, category, people, median, p90 in await self._connection.execute(_KEPT_RANKS, kept):
                cells[(month_label(month), category)] = Cell(people, {}, {"median_days": median, "p90_days": p90})
        # The days of the months the period cuts, each within its month: the first month's from the start, the
        # last month's up to the end (one range when the period is within a month).
        cut = [(start, min(end, first_whole - timedelta(days=1)))] if start < first_whole else []
        if after_last <= end and after_last >= first_whole:
            cut.append((after_last, end))
        for first, last in cut:
            cells.update(await self._ranked_days(first, last))
        return _of_cells(cells)

    async def _ranked_days(self, first: date, last: date) -> dict[tuple[str, str], Cell]:
        """The steps ended within [first, last] (days of one month) ranked per step, as that month's cells."""
        month = month_label(first)
        within = {"version": self._version, "first": first, "last": last}
        rows = await self._connection.execute(_DAYS_RANKED, within)
        return {(month, row.category): _ranked(row.days, row.people) for row in rows}


# The statements are built once, their dates and version bound at each answer: built anew, their construction and
# SQLAlchemy's walk of them for its cache key were 3 to 5 ms of an answer (profiled at national scale).
_VERSION = bindparam("version", type_=Integer)


def _bounds(name: str, day: date) -> dict[str, date]:
    """The parameters of ``_to_date(name)`` for the counts to date at ``day``."""
    return {
        f"{name}_quarters_to": _last_ended_quarter(day),
        f"{name}_month": _month_start(day + timedelta(days=1)),
        f"{name}_day": day,
    }


def _to_date(name: str, sign: int) -> list[Any]:
    """The counts of the steps ended on the day ``_bounds(name)`` gives or before, as three SELECTs of (region,
    category, days, people x sign)."""
    t, m, d = fact_duration_to_date.c, fact_duration_months.c, fact_duration_days.c
    quarters_to, month = bindparam(f"{name}_quarters_to", type_=Date), bindparam(f"{name}_month", type_=Date)
    latest = select(func.max(t.quarter)).where(t.version == _VERSION, t.quarter <= quarters_to).scalar_subquery()
    quarter = select(t.region, t.category, t.days, (t.people * sign).label("people")).where(
        t.version == _VERSION, t.quarter == latest
    )
    # The whole months after that quarter (all of them when none ended yet) up to the day's (its own when the day
    # is its last), then the days of the day's month up to it (none when the month is whole).
    after = func.coalesce(latest + literal_column("interval '3 months'"), literal(date.min, Date))
    months = select(m.region, m.category, m.days, (m.people * sign).label("people")).where(
        m.version == _VERSION, m.month >= after, m.month < month
    )
    days = select(d.region, d.category, d.days, (d.people * sign).label("people")).where(
        d.version == _VERSION, d.day >= month, d.day <= bindparam(f"{name}_day", type_=Date)
    )
    return [quarter, months, days]


@cache
def _period_statement(by_region: bool) -> Any:
    """The counts at the period's end less those before its start, added up per region, step and days (GROUPING
    SETS: by region, and over every region), and each cell's given as two arrays, days and people, ranked by the
    service (``_ranked``). Ranked in the statement instead (windows of running sums over the counts in order of
    days), their sort alone took longer than the rest of the statement: 16 of its 21 ms at national scale (7,605
    counts, 2 cores)."""
    every = union_all(*_to_date("end", 1), *_to_date("before", -1)).subquery("parts")
    # whole = 1: the row adds every region up (every row, when the regions are not asked for).
    region: Any = every.c.region
    whole: Any = func.grouping(every.c.region)
    if not by_region:
        region, whole = literal(NO_REGION), literal(1)
    counts = (
        select(
            region.label("region"),
            every.c.category,
            every.c.days,
            whole.label("whole"),
            # Integers all the way (a sum of bigints is a numeric: 30 % of the statement's time, measured).
            cast(func.sum(every.c.people), Integer).label("people"),
        )
        .group_by(
            func.grouping_sets(
                *([tuple_(every.c.region, every.c.category, every.c.days)] if by_region else []),
                tuple_(every.c.category, every.c.days),
            )
        )
        .having(func.sum(every.c.people) != 0)
        .subquery("counts")
    )
    c = counts.c
    return select(
        c.region, c.whole, c.category, func.array_agg(c.days).label("days"), func.array_agg(c.people).label("people")
    ).group_by(c.region, c.whole, c.category)


def _kept_ranks() -> Any:
    """The months' ranks kept, for the whole months in [first, after)."""
    r = fact_duration_month_ranks.c
    return select(r.month, r.category, r.people, r.median_days, r.p90_days).where(
        r.version == _VERSION, r.month >= bindparam("first", type_=Date), r.month < bindparam("after", type_=Date)
    )


def _days_ranked() -> Any:
    """The steps ended within [first, last] per step, as arrays of days and people."""
    d = fact_duration_days.c
    within = [d.version == _VERSION, d.day >= bindparam("first", type_=Date), d.day <= bindparam("last", type_=Date)]
    counts = (
        select(d.category, d.days, cast(func.sum(d.people), Integer).label("people"))
        .where(*within)
        .group_by(d.category, d.days)
        .subquery("counts")
    )
    c = counts.c
    return select(c.category, func.array_agg(c.days).label("days"), func.array_agg(c.people).label("people")).group_by(
        c.category
    )


_KEPT_RANKS = _kept_ranks()
_DAYS_RANKED = _days_ranked()


def _ranked(days: Sequence[int], people: Sequence[int]) -> Cell:
    """A cell from its counts: ``people[i]`` people took ``days[i]`` days (each number of days once, in any
    order). The value of rank k (from 0, in the order of days) is the least days whose running count exceeds k;
    a percentile interpolates between ranks floor(q x (n - 1)) and the next, as ``percentile_cont`` does."""
    order = sorted(range(len(days)), key=days.__getitem__)
    running = list(accumulate(map(people.__getitem__, order)))
    n = running[-1]

    def at(rank: int) -> int:  # past the last rank: the last value
        return days[order[min(bisect_right(running, rank), len(order) - 1)]]

    ranks = {}
    for name, q in (("median_days", HALF), ("p90_days", P90)):
        low = int(q * (n - 1))
        ranks[name] = _interpolated(n, q, at(low), at(low + 1))
    return Cell(n, {}, ranks)


def _interpolated(n: int, q: Decimal, low: int, high: int | None) -> Decimal:
    """``percentile_cont(q)`` of n values whose ranks floor(q x (n - 1)) and the next have values ``low`` and
    ``high`` (None past the last)."""
    position = q * (n - 1)
    below = Decimal(low)
    return below + (Decimal(high if high is not None else low) - below) * (position - int(position))


def _of_cells(cells: dict[tuple[str, str], Cell]) -> Table:
    return Table(tuple(sorted({group for group, _ in cells})), cells)


def _region(stored: str) -> str:
    return "unknown" if stored == NO_REGION else stored
