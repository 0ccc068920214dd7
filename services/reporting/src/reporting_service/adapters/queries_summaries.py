"""The indicators answered from their summaries (``tables_summaries``): the months wholly inside the period are
added up from the rows per month (tens of thousands at national scale, not the people), the days of a month the
period covers only in part (the current month, mostly) from the rows per day, and the two added together. A
person counts once per cell: their contributions to a summarised indicator share a day, and the attendance
summary counts a person in the first of their months in the period (``previous_month`` before it), the contracts'
summary on the first of their days with a contract of the type (``previous_day`` before it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, func, literal, or_, select, tuple_
from sqlalchemy import Table as Table_
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.queries_sources import Dialect, cohorts_in_scope
from reporting_service.adapters.regions import REGIONAL
from reporting_service.adapters.summaries import (
    ATTENDANCE,
    CONTRACTS,
    DUE_AFTER,
    HOUSING,
    SUMMARISED,
    SUMMED,
    housing_for_night,
    month_of,
    sum_due_apart,
)
from reporting_service.adapters.tables import fact_cohorts
from reporting_service.adapters.tables_summaries import (
    fact_attendance_cells,
    fact_attendance_years,
    fact_contract_days,
    fact_indicator_cells,
    fact_indicator_days,
    fact_region_attendance,
    fact_region_cells,
    fact_region_contracts,
)
from reporting_service.domain.indicators.figures import Cell, Table, group_label
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


def _whole_years(start: date, end: date) -> tuple[date, date] | None:
    """The first and last years (their first days) whose months (their first days) all lie in [start, end]."""
    first = date(start.year + (start != date(start.year, 1, 1)), 1, 1)
    last = date(end.year - (end < date(end.year, 12, 1)), 1, 1)
    return (first, last) if first <= last else None


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def summarised(indicator: Indicator, groupings: Sequence[str | None], scope: Scope) -> bool:
    """Whether the summaries answer: every scope but a funder's (a set of people, not of cohorts), every
    grouping but the funder's."""
    known = indicator.id in SUMMARISED or indicator.id in (ATTENDANCE, CONTRACTS, HOUSING)
    return known and scope.kind != "funder" and "funder" not in groupings


def _national(postgres: bool, groupings: Sequence[str | None], scope: Scope) -> bool:
    """Whether the regional rows answer (``adapters.regions``, PostgreSQL): the whole programme, by region, by
    month or in all."""
    whole = scope.kind == "everything" and scope.cohort_id is None
    return postgres and whole and all(by in (None, "region", "month") for by in groupings)


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
        await sum_due_apart(self._connection, self._version)
        if indicator.id == ATTENDANCE:
            # Its rows are dated by month (a month is in the period when its first day is): no edges.
            return await self._attendance(groupings, scope, start, end)
        if indicator.id == CONTRACTS:
            return await self._contracts(groupings, scope, start, end)
        if indicator.id == HOUSING:  # its rows counted for the night asked
            await housing_for_night(self._connection, self._version, as_of)
        if indicator.id in DUE_AFTER:
            end = min(end, add_months(as_of, -DUE_AFTER[indicator.id]))
        period = Period.of(start, end)
        found = [Table((), {}) for _ in groupings]
        spans = [(fact_indicator_cells, *period.months)] if period.months is not None else []
        spans += [(fact_indicator_days, first, last) for first, last in period.edges]
        for table, first, last in spans:
            if table is fact_indicator_cells and _national(self._dialect.postgres, groupings, scope):
                table = fact_region_cells
            read = await self._cells(indicator.id, groupings, scope, table, first, last)
            found = [_added(a, b) for a, b in zip(found, read, strict=True)]
        return found

    async def _cells(
        self, indicator_id: str, groupings: Sequence[str | None], scope: Scope, table: Table_, first: date, last: date
    ) -> list[Table]:
        """Rows of ``table`` (per month or per day) dated within [first, last], added up per group."""
        s = table.c
        dated = s.day if table is fact_indicator_days else s.month
        names = SUMMED.get(indicator_id, ())
        measures = [func.sum(s.people).label("people"), *(func.sum(s[name]).label(name) for name in names)]
        where = [s.version == self._version, s.indicator == indicator_id, dated >= first, dated <= last]
        month = month_of(self._dialect, dated) if table is fact_indicator_days else dated
        found = await self._grouped(table, month, groupings, s.category, measures, where, scope)
        return [
            _table({key: Cell(int(row["people"]), {name: Decimal(row[name]) for name in names}) for key, row in rows})
            for rows in found
        ]

    async def _attendance(self, groupings: Sequence[str | None], scope: Scope, start: date, end: date) -> list[Table]:
        """By month, each row is people in that month. Every other grouping counts a person in the first of their
        months in the period, read per year for its whole years (a tenth of the rows) and per month around them."""
        cells = fact_region_attendance if _national(self._dialect.postgres, groupings, scope) else fact_attendance_cells
        a = cells.c
        others = [by for by in groupings if by != "month"]
        found: dict[str | None, Table] = {}
        if "month" in groupings:
            (found["month"],) = await self._hours(cells, a.month, ["month"], scope, start, end, [])
        if others:
            years = _whole_years(start, end)
            around = [] if years is None else [or_(a.month < years[0], a.month >= date(years[1].year + 1, 1, 1))]
            tables = await self._hours(cells, a.month, others, scope, start, end, around, first=start)
            if years is not None:
                y = fact_attendance_years.c
                within = await self._hours(fact_attendance_years, y.year, others, scope, *years, [], first=start)
                tables = [_added(*pair) for pair in zip(tables, within, strict=True)]
            found.update(zip(others, tables, strict=True))
        return [found[by] for by in groupings]

    async def _hours(
        self,
        table: Table_,
        dated: Any,
        groupings: Sequence[str | None],
        scope: Scope,
        first_day: date,
        last_day: date,
        where: list[Any],
        first: date | None = None,
    ) -> list[Table]:
        """Attendance rows dated within [first_day, last_day]: the people in them, or only those whose previous
        month is before ``first`` (the period's first day: counted in their first month in it), and their hours."""
        s = table.c
        people: Any = func.sum(s.people)
        if first is not None:
            people = func.coalesce(people.filter(or_(s.previous_month.is_(None), s.previous_month < first)), 0)
        measures = [
            people.label("people"),
            func.sum(s.hours_recorded).label("recorded"),
            func.sum(s.hours_attended).label("attended"),
        ]
        where = [s.version == self._version, dated >= first_day, dated <= last_day, *where]
        category = literal("attended", String)
        found = await self._grouped(table, dated, groupings, category, measures, where, scope)
        return [
            _table(
                {
                    key: Cell(
                        int(row["people"]), {"recorded": Decimal(row["recorded"]), "attended": Decimal(row["attended"])}
                    )
                    for key, row in rows
                }
            )
            for rows in found
        ]

    async def _contracts(self, groupings: Sequence[str | None], scope: Scope, start: date, end: date) -> list[Table]:
        """A person counts once per cell, on the first of their days with a contract of the type in the period
        (by month: in the month's part of the period); every contract counts. The whole programme's period that
        starts on a month's first day reads its whole months from the regional rows, whose previous months then
        tell who is counted, and its last month's days; any other reads the contract days."""
        period = Period.of(start, end)
        if start.day != 1 or period.months is None or not _national(self._dialect.postgres, groupings, scope):
            return await self._contract_days(groupings, scope, start, start, end)
        r = fact_region_contracts.c
        first_month, last_month = period.months
        first_ever = r.previous_month.is_(None)
        counted = [or_(first_ever, r.previous_month < start), or_(first_ever, r.previous_month < r.month)]
        where = [r.version == self._version, r.month >= first_month, r.month <= last_month]
        found = await self._contract_rows(fact_region_contracts, r.month, groupings, scope, counted, where)
        for first, last in period.edges:  # the days of the last month, when the period ends within it
            read = await self._contract_days(groupings, scope, start, first, last)
            found = [_added(a, b) for a, b in zip(found, read, strict=True)]
        return found

    async def _contract_days(
        self, groupings: Sequence[str | None], scope: Scope, start: date, first: date, last: date
    ) -> list[Table]:
        """The contract days within [first, last] of the period starting on ``start``."""
        k = fact_contract_days.c
        month = month_of(self._dialect, k.day)
        before = or_(k.previous_day.is_(None), k.previous_day < start)
        counted = [before, or_(before, k.previous_day < month)]
        where = [k.version == self._version, k.day >= first, k.day <= last]
        return await self._contract_rows(fact_contract_days, month, groupings, scope, counted, where)

    async def _contract_rows(
        self,
        table: Table_,
        month: Any,
        groupings: Sequence[str | None],
        scope: Scope,
        counted: list[Any],
        where: list[Any],
    ) -> list[Table]:
        """Contract rows added up per cell: the people whose row is their first in the period (``counted[0]``)
        or, by month, in the month's part of it (``counted[1]``), and every contract."""
        s = table.c
        in_period, in_month = counted
        measures = [
            func.coalesce(func.sum(s.people).filter(in_period), 0).label("first"),
            func.coalesce(func.sum(s.people).filter(in_month), 0).label("first_in_month"),
            func.sum(s.contracts).label("contracts"),
        ]
        found = await self._grouped(table, month, groupings, s.category, measures, where, scope)
        return [
            _table(
                {
                    key: Cell(
                        int(row["first_in_month" if by == "month" else "first"]),
                        {"contracts": Decimal(row["contracts"])},
                    )
                    for key, row in rows
                }
            )
            for by, rows in zip(groupings, found, strict=True)
        ]

    async def _grouped(
        self,
        table: Table_,
        month: Any,
        groupings: Sequence[str | None],
        category: Any,
        measures: list[Any],
        where: list[Any],
        scope: Scope,
    ) -> list[list[tuple[tuple[str, str], Any]]]:
        """Per grouping, each cell's key (group, category) and measures. PostgreSQL answers every grouping in one
        scan (GROUPING SETS); SQLite is asked once per grouping."""
        keys = [_dimension(by, table.c, month) for by in groupings if by is not None]
        if table in REGIONAL:  # the whole programme's rows, their region on them (``_national``)
            base = select(category.label("category"), *measures).select_from(table).where(*where)
        else:
            base = select(category.label("category"), *measures).select_from(_with_cohorts(table))
            base = base.where(*where, *cohorts_in_scope(scope, table.c.cohort_id))
        found: list[list[tuple[tuple[str, str], Any]]] = [[] for _ in groupings]
        if not self._dialect.postgres or not keys:
            for index, by in enumerate(groupings):
                key = _dimension(by, table.c, month)
                grouped = [key] if key is not None else []
                query = base.add_columns(*(k.label("d0") for k in grouped)).group_by(*grouped, category)
                for row in (await self._connection.execute(query)).mappings():
                    found[index].append(((group_label(row["d0"]) if grouped else "", str(row["category"])), row))
            return found
        sets = [tuple_(key, category) for key in keys] + ([tuple_(category)] if None in groupings else [])
        labelled = [key.label(f"d{i}") for i, key in enumerate(keys)]
        query = base.add_columns(*labelled, func.grouping(*keys).label("grouping")).group_by(func.grouping_sets(*sets))
        dimensions = [index for index, by in enumerate(groupings) if by is not None]
        full = (1 << len(keys)) - 1
        for row in (await self._connection.execute(query)).mappings():
            # GROUPING() sets a bit per key not grouped by, the first key the highest bit.
            nth = len(keys) - (full ^ row["grouping"]).bit_length()
            if nth == len(keys):
                found[groupings.index(None)].append((("", str(row["category"])), row))
            else:
                found[dimensions[nth]].append(((group_label(row[f"d{nth}"]), str(row["category"])), row))
        return found


def _with_cohorts(table: Any) -> Any:
    c = fact_cohorts.c
    return table.outerjoin(fact_cohorts, and_(c.version == table.c.version, c.cohort_id == table.c.cohort_id))


def _dimension(by: str | None, s: Any, month: Any) -> Any:
    """The grouping's column, as ``queries_sources.dimension`` reads it from a person and their cohort (the
    regional rows carry their region; they answer no other grouping but the month)."""
    c = fact_cohorts.c
    if by is None:
        return None
    if by == "month":
        return month
    if by == "region":
        return s.region if "region" in s else c.region
    columns = {
        "sector": func.coalesce(s.sector_code, c.sector_code),
        "cohort": s.cohort_id,
        "provider": c.training_provider_org_id,
        "track": func.coalesce(s.track, c.track),
    }
    return columns[by]


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
        names = {*before.sums, *cell.sums}
        sums = {name: before.sums.get(name, Decimal(0)) + cell.sums.get(name, Decimal(0)) for name in names}
        cells[key] = Cell(before.people + cell.people, sums)
    return _table(cells)
