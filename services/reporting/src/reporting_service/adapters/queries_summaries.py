"""The indicators answered from their summaries (``tables_summaries``): the months wholly inside the period are
added up from the rows per month (tens of thousands at national scale, not the people), the days of a month the
period covers only in part (the current month, mostly) from the rows per day, and the two added together. A
person counts once per cell: their contributions to a summarised indicator share a day, and the attendance
summary counts a person in the first of their months in the period (``previous_month`` before it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table as Table_
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.queries_sources import Dialect
from reporting_service.adapters.summaries import ATTENDANCE, DUE_AFTER, SUMMARISED, SUMMED, month_of
from reporting_service.adapters.tables import fact_cohorts
from reporting_service.adapters.tables_summaries import (
    fact_attendance_cells,
    fact_indicator_cells,
    fact_indicator_days,
)
from reporting_service.domain.indicators.figures import Cell, Table
from reporting_service.domain.indicators.registry import Indicator
from reporting_service.domain.indicators.rules import add_months
from reporting_service.domain.scoping import Scope

@dataclass(frozen=True)
class Period:
    """A period cut in the whole months it covers (``months``: first and last month's first days, or None) and the
    days around them (``edges``), each (first day, last day)."""

    months: tuple[date, date] | None
    edges: tuple[tuple[date, date], ...]

    @staticmethod
    def of(start: date, end: date) -> Period:
        if start > end:
            return Period(None, ())
        first = start if start.day == 1 else _next_month(start)
        # The last whole month: the end's own when the end is its last day, else the one before.
        last = end.replace(day=1) if (end + timedelta(days=1)).day == 1 else _previous_month(end)
        if first > last:
            return Period(None, ((start, end),))
        edges = [(start, first - timedelta(days=1))] if start < first else []
        if _next_month(last) <= end:
            edges.append((_next_month(last), end))
        return Period((first, last), tuple(edges))


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def summarised(indicator: Indicator, groupings: Sequence[str | None], scope: Scope) -> bool:
    """Whether the summaries answer: every scope but a funder's (a set of people, not of cohorts), every
    grouping but the funder's."""
    known = indicator.id in SUMMARISED or indicator.id == ATTENDANCE
    return known and scope.kind != "funder" and "funder" not in groupings


class SummaryQueries:
    def __init__(self, connection: AsyncConnection, version: int) -> None:
        self._connection = connection
        self._version = version
        self._dialect = Dialect(postgres=connection.dialect.name == "postgresql")

    async def tables(
        self,
        indicator: Indicator,
        groupings: Sequence[str | None],
        scope: Scope,
        start: date,
        end: date,
        as_of: date,
    ) -> list[Table]:
        if indicator.id == ATTENDANCE:
            # Its rows are dated by month (a month is in the period when its first day is): no edges.
            return [await self._attendance(by, scope, start, end) for by in groupings]
        if indicator.id in DUE_AFTER:
            end = min(end, add_months(as_of, -DUE_AFTER[indicator.id]))
        period = Period.of(start, end)
        found = [Table((), {}) for _ in groupings]
        spans = [(fact_indicator_cells, *period.months)] if period.months is not None else []
        spans += [(fact_indicator_days, first, last) for first, last in period.edges]
        for table, first, last in spans:
            read = [await self._cells(indicator.id, by, scope, table, first, last) for by in groupings]
            found = [_added(a, b) for a, b in zip(found, read, strict=True)]
        return found

    async def _cells(
        self, indicator_id: str, by: str | None, scope: Scope, table: Table_, first: date, last: date
    ) -> Table:
        """Rows of ``table`` (per month or per day) dated within [first, last], added up per group."""
        s = table.c
        dated = s.month if table is fact_indicator_cells else s.day
        key = _dimension(by, s, month_of(self._dialect, dated))
        names = SUMMED.get(indicator_id, ())
        sums = [func.sum(getattr(s, name)).label(name) for name in names]
        query = (
            select(*_keyed(key), s.category.label("category"), func.sum(s.people).label("people"), *sums)
            .select_from(_with_cohorts(table))
            .where(s.version == self._version, s.indicator == indicator_id, dated >= first, dated <= last)
            .where(*_scope(scope, s))
            .group_by(*_keyed(key, labelled=False), s.category)
        )
        cells = {}
        for row in (await self._connection.execute(query)).mappings():
            money = {name: Decimal(row[name]) for name in names}
            cells[(_label(row, key), str(row["category"]))] = Cell(int(row["people"]), money)
        return _table(cells)

    async def _attendance(self, by: str | None, scope: Scope, start: date, end: date) -> Table:
        a = fact_attendance_cells.c
        key = _dimension(by, a, a.month)
        # By month, each row is people in that month; otherwise a person counts in their first month here.
        counted = func.sum(a.people)
        if by != "month":
            first = or_(a.previous_month.is_(None), a.previous_month < start)
            counted = func.coalesce(func.sum(a.people).filter(first), 0)
        query = (
            select(
                *_keyed(key),
                counted.label("people"),
                func.sum(a.hours_recorded).label("recorded"),
                func.sum(a.hours_attended).label("attended"),
            )
            .select_from(_with_cohorts(fact_attendance_cells))
            .where(a.version == self._version, a.month >= start, a.month <= end, *_scope(scope, a))
            .group_by(*_keyed(key, labelled=False))
        )
        cells = {}
        for row in (await self._connection.execute(query)).mappings():
            if row["recorded"] is None:
                continue  # the total of no rows at all
            hours = {"recorded": Decimal(row["recorded"]), "attended": Decimal(row["attended"])}
            cells[(_label(row, key), "attended")] = Cell(int(row["people"]), hours)
        return _table(cells)


def _with_cohorts(table: Any) -> Any:
    c = fact_cohorts.c
    return table.outerjoin(fact_cohorts, and_(c.version == table.c.version, c.cohort_id == table.c.cohort_id))


def _dimension(by: str | None, s: Any, month: Any) -> Any:
    """The grouping's column, as ``queries_sources.dimension`` reads it from a person and their cohort."""
    c = fact_cohorts.c
    columns = {
        "region": c.region,
        "sector": func.coalesce(s.sector_code, c.sector_code),
        "cohort": s.cohort_id,
        "provider": c.training_provider_org_id,
        "track": func.coalesce(s.track, c.track),
        "month": month,
    }
    return None if by is None else columns[by]


def _keyed(key: Any, labelled: bool = True) -> list[Any]:
    if key is None:
        return []
    return [key.label("grp")] if labelled else [key]


def _label(row: Any, key: Any) -> str:
    if key is None:
        return ""
    value = row["grp"]
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    return "unknown" if value is None else str(value)


def _scope(scope: Scope, s: Any) -> list[Any]:
    """The cohorts the caller may see (``queries_sources.scope_filter`` for every scope but a funder's)."""
    c = fact_cohorts.c
    found = []
    if scope.cohort_id is not None:
        found.append(s.cohort_id == scope.cohort_id)
    if scope.kind == "training_provider":
        found.append(c.training_provider_org_id == scope.org_id)
    elif scope.kind == "support_provider":
        found.append(c.support_provider_org_id == scope.org_id)
    return found


def _table(cells: dict[tuple[str, str], Cell]) -> Table:
    return Table(tuple(sorted({group for group, _ in cells})), cells)


def _added(a: Table, b: Table) -> Table:
    """Two tables of the same grouping over days apart, cell by cell (people and sums add: nobody is in both)."""
    cells = dict(a.cells)
    for key, cell in b.cells.items():
        before = cells.get(key)
        if before is None:
            cells[key] = cell
            continue
        sums = {name: before.sums.get(name, Decimal(0)) + cell.sums.get(name, Decimal(0)) for name in {*before.sums, *cell.sums}}
        cells[key] = Cell(before.people + cell.people, sums)
    return _table(cells)
