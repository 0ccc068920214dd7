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
from itertools import accumulate
from typing import Any

from sqlalchemy import Date, Integer, cast, func, literal, literal_column, select, tuple_, union_all
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

    # By region and in total: two counts to date apart, ranked by the database.

    async def _period_ranks(self, start: date, end: date, by_region: bool) -> tuple[Table, Table]:
        """The period's people, median and 90th percentile per region and step (when ``by_region``), and per step
        over every region.

        The counts per (region, step, days) are added up (GROUPING SETS: by region, and over every region), and
        each cell's come back as two arrays, days and people, ranked here (``_ranked``). Ranked in the statement
        instead (windows of running sums over the counts in order of days), their sort alone took longer than the
        rest of the statement: 21 ms against 5 at national scale (7,605 counts, 2 cores)."""
        parts = [*self._to_date(end, 1), *self._to_date(start - timedelta(days=1), -1)]
        every = union_all(*parts).subquery("parts")
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
        cells = select(
            c.region,
            c.whole,
            c.category,
            func.array_agg(c.days).label("days"),
            func.array_agg(c.people).label("people"),
        ).group_by(c.region, c.whole, c.category)
        regions: dict[tuple[str, str], Cell] = {}
        totals: dict[tuple[str, str], Cell] = {}
        for row in await self._connection.execute(cells):
            if row.whole:
                totals[("", row.category)] = _ranked(row.days, row.people)
            else:
                regions[(_region(row.region), row.category)] = _ranked(row.days, row.people)
        return _of_cells(regions), _of_cells(totals)

    def _to_date(self, day: date, sign: int) -> list[Any]:
        """The counts of the steps ended on ``day`` or before, as three SELECTs of (region, category, days,
        people x sign)."""
        t, m = fact_duration_to_date.c, fact_duration_months.c
        latest = (
            select(func.max(t.quarter))
            .where(t.version == self._version, t.quarter <= _last_ended_quarter(day))
            .scalar_subquery()
        )
        quarter = select(t.region, t.category, t.days, (t.people * sign).label("people")).where(
            t.version == self._version, t.quarter == latest
        )
        # The whole months after that quarter (all of them when none ended yet) up to the day's (its own when the
        # day is its last), then the days of the day's month up to it (none when the month is whole).
        month = _month_start(day + timedelta(days=1))
        after = func.coalesce(latest + literal_column("interval '3 months'"), literal(date.min, Date))
        months = select(m.region, m.category, m.days, (m.people * sign).label("people")).where(
            m.version == self._version, m.month >= after, m.month < month
        )
        d = fact_duration_days.c
        days = select(d.region, d.category, d.days, (d.people * sign).label("people")).where(
            d.version == self._version, d.day >= month, d.day <= day
        )
        return [quarter, months, days]

    # By month: the whole months' ranks as kept, the months cut by the period ranked from the facts.

    async def _months(self, start: date, end: date) -> Table:
        first_whole = start if start.day == 1 else add_months(_month_start(start), 1)
        after_last = _month_start(end + timedelta(days=1))  # the month after the last whole one
        cells: dict[tuple[str, str], Cell] = {}
        r = fact_duration_month_ranks.c
        if first_whole < after_last:
            kept = select(r.month, r.category, r.people, r.median_days, r.p90_days).where(
                r.version == self._version, r.month >= first_whole, r.month < after_last
            )
            for row in await self._connection.execute(kept):
                ranks = {"median_days": Decimal(row.median_days), "p90_days": Decimal(row.p90_days)}
                cells[(month_label(row.month), row.category)] = Cell(int(row.people), {}, ranks)
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
        d = fact_duration_days.c
        counts = (
            select(d.category, d.days, cast(func.sum(d.people), Integer).label("people"))
            .where(d.version == self._version, d.day >= first, d.day <= last)
            .group_by(d.category, d.days)
            .subquery("counts")
        )
        c = counts.c
        cells = select(
            c.category, func.array_agg(c.days).label("days"), func.array_agg(c.people).label("people")
        ).group_by(c.category)
        month = month_label(first)
        return {(month, row.category): _ranked(row.days, row.people) for row in await self._connection.execute(cells)}


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
