"""The summaries added up per region (``tables_summaries.fact_region_cells``, ``fact_region_attendance``), kept with
the cohorts' own: what the whole programme's answers by region and by month read (``queries_summaries``).
PostgreSQL only; on SQLite (one machine, a few cohorts) the answers add the cohorts' rows up themselves.

Kept by difference, in the transaction that sums cohorts again (``summaries.summarise``): before their rows are
replaced, what they added is taken out of the region they were added under (``fact_summed_cohorts``); after, their
new rows are added under their region now. A row whose people fall to 0 held nothing but those cohorts' rows and
is removed, so the regional rows are always the cohorts' rows added up (a test compares them after cohorts moved
region, left and came back). A whole version is added up afresh.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert

from reporting_service.adapters.durations import of_cohorts
from reporting_service.adapters.queries_sources import truncated
from reporting_service.adapters.tables import fact_cohorts
from reporting_service.adapters.tables_summaries import (
    MONEY,
    fact_attendance_cells,
    fact_contract_days,
    fact_indicator_cells,
    fact_region_attendance,
    fact_region_cells,
    fact_region_contracts,
    fact_summed_cohorts,
)

# Cohorts summed again (None among them: the people of no cohort), or None for every cohort.
Cohorts = Collection[UUID | None] | None

# Per regional table: the cohorts' table it adds up, its key after version and region, and what it sums.
_OF: dict[str, tuple[Table, tuple[str, ...], tuple[str, ...]]] = {
    fact_region_cells.name: (fact_indicator_cells, ("indicator", "month", "category"), ("people", *MONEY)),
    fact_region_attendance.name: (
        fact_attendance_cells,
        ("month", "previous_month"),
        ("people", "hours_recorded", "hours_attended"),
    ),
    fact_region_contracts.name: (fact_contract_days, ("month", "category", "previous_month"), ("people", "contracts")),
}
REGIONAL = (fact_region_cells, fact_region_attendance, fact_region_contracts)
# A regional key the cohorts' table holds by day: the day's month.
_MONTH_OF = {fact_region_contracts.name: {"month": "day", "previous_month": "previous_day"}}


def taken_out(version: int, cohorts: Cohorts) -> list[Any]:
    """Before these cohorts' rows are replaced: what they added taken out of their regions (the whole version's
    regional rows removed when ``cohorts`` is None)."""
    if cohorts is None:
        return [delete(table).where(table.c.version == version) for table in (*REGIONAL, fact_summed_cohorts)]
    return [_moved(regional, version, cohorts, -1) for regional in REGIONAL]


def added(version: int, cohorts: Cohorts = None, regional_tables: tuple[Table, ...] = REGIONAL) -> list[Any]:
    """After these cohorts' rows are written: their region now noted, their rows added to it, the rows left
    empty removed (in ``regional_tables``: those a migration finds, when it runs)."""
    s, c = fact_summed_cohorts.c, fact_cohorts.c
    statements: list[Any] = []
    if cohorts is not None:
        statements.append(delete(fact_summed_cohorts).where(s.version == version, *of_cohorts(s.cohort_id, cohorts)))
    regions = select(c.version, c.cohort_id, c.region).where(c.version == version, *of_cohorts(c.cohort_id, cohorts))
    statements.append(fact_summed_cohorts.insert().from_select(["version", "cohort_id", "region"], regions))
    for regional in regional_tables:
        statements.append(_moved(regional, version, cohorts, 1))
        # Seldom any: read through the table (a partial index on them, or the sums in an index, would keep
        # PostgreSQL from updating the rows in place).
        statements.append(delete(regional).where(regional.c.version == version, regional.c.people == 0))
    return statements


def indicator_taken_out(version: int, indicator_id: str) -> list[Any]:
    """An indicator's regional rows removed, before its cohorts' rows are all replaced (``indicator_added``)."""
    r = fact_region_cells.c
    return [delete(fact_region_cells).where(r.version == version, r.indicator == indicator_id)]


def indicator_added(version: int, indicator_id: str) -> list[Any]:
    """An indicator's rows of every cohort added up under the regions noted for them."""
    return [_moved(fact_region_cells, version, None, 1, fact_indicator_cells.c.indicator == indicator_id)]


def added_up(regional: Table, version: int) -> Any:
    """A regional table filled for a version from its cohorts' rows, under the regions noted for them (a table a
    migration adds beside the others)."""
    return _moved(regional, version, None, 1)


def _moved(regional: Table, version: int, cohorts: Cohorts, sign: int, *only: Any) -> Any:
    """The cohorts' rows (those ``only`` holds true of, when given) added to (``sign`` 1) or taken out of (-1) the
    regional rows of the region named for them in ``fact_summed_cohorts``; the unique index (NULLS NOT DISTINCT)
    finds a row with an unknown region or previous month too."""
    cells, key, sums = _OF[regional.name]
    c, s = cells.c, fact_summed_cohorts.c
    summed = cells.outerjoin(fact_summed_cohorts, and_(s.version == c.version, s.cohort_id == c.cohort_id))
    by_day = _MONTH_OF.get(regional.name, {})
    grouped = [truncated("month", c[by_day[name]]) if name in by_day else c[name] for name in key]
    rows = (
        select(literal(version), s.region, *grouped, *(func.sum(c[name]) * sign for name in sums))
        .select_from(summed)
        .where(c.version == version, *of_cohorts(c.cohort_id, cohorts), *only)
        .group_by(s.region, *grouped)
    )
    upsert = insert(regional).from_select(["version", "region", *key, *sums], rows)
    return upsert.on_conflict_do_update(
        index_elements=["version", *_index_key(regional)],
        set_={name: regional.c[name] + upsert.excluded[name] for name in sums},
    )


def _index_key(regional: Table) -> list[str]:
    """The unique index's columns after version, in its order."""
    [unique] = [index for index in regional.indexes if index.unique]
    return [column.name for column in unique.columns][1:]
