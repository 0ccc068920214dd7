"""The indicators' queries: one grouped SELECT per table (by the asked dimension, and by month for the series),
on the active version of the read models, within the caller's scope. Medians and 90th percentiles are ranked by
PostgreSQL (``percentile_cont``: measured faster than ranking here from a count of people per number of days,
which took a query per grouping); on SQLite, the embedded one-machine database, they are ranked here from that
count (``quantile_of_counts``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.durations import HALF, P90
from reporting_service.adapters.queries_durations import DurationQueries, counted
from reporting_service.adapters.queries_sources import SOURCES, Dialect, Source, dimension, scope_filter
from reporting_service.adapters.queries_summaries import SummaryQueries, summarised
from reporting_service.adapters.tables import fact_cohorts, fact_people
from reporting_service.domain.indicators.figures import Cell, Table, group_label, quantile_of_counts
from reporting_service.domain.indicators.registry import Indicator
from reporting_service.domain.scoping import Scope

WORK_MEM = "64MB"

DayCounts = dict[tuple[str, str], dict[Decimal, int]]


class IndicatorQueries:
    def __init__(self, connection: AsyncConnection, version: int) -> None:
        self._connection = connection
        self._version = version
        self._dialect = Dialect(postgres=connection.dialect.name == "postgresql")

    async def tables(
        self, indicator: Indicator, groupings: Sequence[str | None], scope: Scope, start: date, end: date, as_of: date
    ) -> list[Table]:
        """The indicator's cells for each grouping (a dimension, or None for the totals), people counted once per
        cell: from the summaries when they answer it (``queries_summaries``, ``queries_durations``), else from the
        facts."""
        if self._dialect.postgres:
            await self._answer_settings()
        if counted(indicator.id, groupings, scope, self._dialect.postgres):
            return await DurationQueries(self._connection, self._version).tables(groupings, start, end)
        if summarised(indicator, groupings, scope):
            summaries = SummaryQueries(self._connection, self._version)
            return await summaries.tables(indicator, groupings, scope, start, end, as_of)
        return await self.from_facts(indicator, groupings, scope, start, end, as_of)

    async def _answer_settings(self) -> None:
        """The answer's transaction plans and sorts for national tables, in one round trip. The national tables
        group a few hundred thousand rows: with the default 4 MB PostgreSQL sorts and hashes them on disk (JIT,
        which took longer than these scans, is off on every service's connections: the kit's ``make_engine``).
        From its sixth run a prepared statement may get a generic plan, guessed without the period and statuses
        asked: it missed the index of the people on the path and probed each person's housing (people_without_
        housing 12 -> 70 to 130 ms), and time_in_step's counts to date took 30 ms instead of 22 from the seventh
        answer on; planning each answer anew costs under 1 ms. Local to the transaction: the consumers' polls on
        the same pooled connections keep their cached plans."""
        settings = {"work_mem": WORK_MEM, "plan_cache_mode": "force_custom_plan"}
        await self._connection.execute(
            select(*(func.set_config(name, value, True) for name, value in settings.items()))
        )

    async def from_facts(
        self, indicator: Indicator, groupings: Sequence[str | None], scope: Scope, start: date, end: date, as_of: date
    ) -> list[Table]:
        """The indicator's cells counted from the fact tables. On PostgreSQL one scan answers every grouping
        (GROUPING SETS); SQLite asks once per grouping."""
        source = SOURCES[indicator.id](self._dialect, self._version, as_of)
        where = [*source.where, *scope_filter(scope, self._version, source), *self._period(source, start, end)]
        if not self._dialect.postgres:
            return [await self._table(*self._per_person(source, by, scope, start, end, where)) for by in groupings]
        if source.per_person is not None and any(by != "month" for by in groupings):
            # Counted distinct, a person's rows are sorted per cell; added up per person first, they are not.
            others = [by for by in groupings if by != "month"]
            person = source.per_person([*source.where, *self._period(source, start, end)])
            tables = await self._grouped(person, others, scope_filter(scope, self._version, person))
            found = dict(zip(others, tables, strict=True))
            if "month" in groupings:
                found["month"] = (await self._grouped(source, ["month"], where))[0]
            return [found[by] for by in groupings]
        return await self._grouped(source, groupings, where)

    def _per_person(
        self, source: Source, by: str | None, scope: Scope, start: date, end: date, where: list[Any]
    ) -> tuple[Source, str | None, list[Any]]:
        """What SQLite reads for one grouping: a person's rows added up first (``Source.per_person``) for every
        grouping but the month."""
        if source.per_person is None or by == "month":
            return source, by, where
        person = source.per_person([*source.where, *self._period(source, start, end)])
        return person, by, scope_filter(scope, self._version, person)

    async def _grouped(self, source: Source, groupings: Sequence[str | None], where: list[Any]) -> list[Table]:
        """One scan on PostgreSQL for every grouping (GROUPING SETS)."""
        keys = [dimension(by, self._dialect, source) for by in groupings if by is not None]
        sets = [tuple_(key, source.category) for key in keys]
        if None in groupings:
            sets.append(tuple_(source.category))
        columns = [
            *(key.label(f"d{i}") for i, key in enumerate(keys)),
            *([func.grouping(*keys).label("grouping")] if keys else []),
            *self._measures(source),
        ]
        query = select(*columns).select_from(source.joined).where(*where).group_by(func.grouping_sets(*sets))
        full = (1 << len(keys)) - 1
        found: list[dict[tuple[str, str], Cell]] = [{} for _ in groupings]
        for row in (await self._connection.execute(query)).mappings():
            mask = row["grouping"] if keys else full
            # GROUPING() sets a bit per key not grouped by, the first key the highest bit.
            index = len(keys) - (full ^ mask).bit_length()
            group = "" if index == len(keys) else group_label(row[f"d{index}"])
            target = groupings.index(None) if index == len(keys) else self._nth_dimension(groupings, index)
            key = (group, str(row["category"]))
            found[target][key] = self._cell(source, row, {}, key)
        return [Table(tuple(sorted({g for g, _ in cells})), cells) for cells in found]

    def _period(self, source: Source, start: date, end: date) -> list[Any]:
        """``on`` within [start, end]; on PostgreSQL as a range of its instant when it has one (the same days: the
        database's days are UTC)."""
        if source.instant is None or not self._dialect.postgres:
            return [source.on >= start, source.on <= end]
        after = datetime.combine(end + timedelta(days=1), time(), UTC)
        return [source.instant >= datetime.combine(start, time(), UTC), source.instant < after]

    @staticmethod
    def _nth_dimension(groupings: Sequence[str | None], index: int) -> int:
        return [i for i, by in enumerate(groupings) if by is not None][index]

    def _measures(self, source: Source) -> list[Any]:
        columns = [
            source.category.label("category"),
            (func.count(fact_people.c.beneficiary_id.distinct()) if source.repeats else func.count()).label("people"),
            *(func.sum(expression).label(f"sum_{name}") for name, expression in source.sums.items()),
        ]
        if source.days is not None and self._dialect.postgres:
            columns += [
                func.percentile_cont(HALF).within_group(source.days).label("median_days"),
                func.percentile_cont(P90).within_group(source.days).label("p90_days"),
            ]
        return columns

    def _cell(self, source: Source, row: Any, days: DayCounts, key: tuple[str, str]) -> Cell:
        sums = {name: Decimal(row[f"sum_{name}"] or 0) for name in source.sums}
        ranks: dict[str, Decimal] = {}
        if source.days is not None and self._dialect.postgres:
            ranks = {name: Decimal(str(row[name])) for name in ("median_days", "p90_days")}
        elif key in days:
            ranks = {"median_days": quantile_of_counts(days[key], HALF), "p90_days": quantile_of_counts(days[key], P90)}
        return Cell(int(row["people"]), sums, ranks)

    async def _table(self, source: Source, by: str | None, where: list[Any]) -> Table:
        group = dimension(by, self._dialect, source) if by else None
        keys = [group.label("grp")] if group is not None else []
        query = select(*keys, *self._measures(source)).select_from(source.joined).where(*where)
        query = query.group_by(*(k for k in [group] if k is not None), source.category)
        days = await self._days(source, by, where) if source.days is not None else {}
        cells: dict[tuple[str, str], Cell] = {}
        for row in (await self._connection.execute(query)).mappings():
            key = (group_label(row["grp"]) if group is not None else "", str(row["category"]))
            cells[key] = self._cell(source, row, days, key)
        return Table(tuple(sorted({g for g, _ in cells})), cells)

    async def _days(self, source: Source, by: str | None, where: list[Any]) -> DayCounts:
        """Per cell, how many people took each number of days."""
        assert source.days is not None
        group = dimension(by, self._dialect, source) if by else None
        keys = [group.label("grp")] if group is not None else []
        days = source.days.label("days")
        query = select(*keys, source.category.label("category"), days, func.count().label("people"))
        query = query.select_from(source.joined).where(*where)
        query = query.group_by(*(k for k in [group] if k is not None), source.category, source.days)
        found: DayCounts = defaultdict(dict)
        for row in (await self._connection.execute(query)).mappings():
            key = (group_label(row["grp"]) if group is not None else "", str(row["category"]))
            found[key][Decimal(row["days"])] = int(row["people"])
        return found

    async def cohort_in_scope(self, cohort_id: UUID, scope: Scope) -> bool:
        """Whether the cohort exists in the read models and the caller may see it."""
        c = fact_cohorts.c
        query = select(c.cohort_id).where(c.version == self._version, c.cohort_id == cohort_id)
        if scope.kind == "training_provider":
            query = query.where(c.training_provider_org_id == scope.org_id)
        elif scope.kind == "support_provider":
            query = query.where(c.support_provider_org_id == scope.org_id)
        elif scope.kind == "funder":
            return False
        return (await self._connection.execute(query)).first() is not None
