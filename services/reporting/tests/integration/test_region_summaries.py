"""The summaries added up per region (``adapters/regions.py``), on PostgreSQL: kept by difference as cohorts are
summed again, after people changed cohort (or left every cohort), cohorts changed region, a cohort's region
arrived late and people's facts were erased, they stay the cohorts' rows added up under their region now, the
whole programme's answers by region, by month and in total read from them equal the facts', and summing the whole
version afresh gives the same rows. PostgreSQL only: on SQLite the answers add the cohorts' rows up."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import and_, cast, delete, func, select, update

from hopekit.uow import Database
from reporting_service.adapters.queries import IndicatorQueries
from reporting_service.adapters.regions import REGIONAL
from reporting_service.adapters.summaries import ATTENDANCE, CONTRACTS, HOUSING, SUMMARISED, sum_due, summarise
from reporting_service.adapters.tables import (
    fact_attendance_cells,
    fact_cohorts,
    fact_indicator_cells,
    fact_people,
    summary_due,
)
from reporting_service.adapters.tables_summaries import (
    MONEY,
    fact_contract_days,
    fact_region_attendance,
    fact_region_cells,
    fact_region_contracts,
)
from reporting_service.domain.indicators.registry import BY_ID
from reporting_service.domain.scoping import Scope

from .hand_made_facts import AS_OF, Cohort, people_of, with_later_facts, write

pytestmark = pytest.mark.integration

NATIONAL: list[str | None] = ["region", "month", None]
# From a month's first day (read per month), to its last or within it (the last month's days), and from within one.
PERIODS = [
    (date(2017, 1, 1), AS_OF),
    (date(2024, 3, 1), date(2025, 7, 17)),
    (date(2024, 2, 10), date(2025, 7, 31)),
    (date(2025, 3, 1), date(2025, 3, 31)),
]


async def _regional(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    async with database.engine.connect() as connection:
        for table in REGIONAL:
            rows = await connection.execute(select(table).where(table.c.version == 1))
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def _keyed(cells: Any) -> dict[str, Any]:
    """The regional key's columns as the cohorts' table holds them: the contract days' month is their day's."""
    s = cells.c
    if cells is not fact_contract_days:
        return {"month": s.month}
    return {"month": func.date_trunc("month", s.day), "previous_month": func.date_trunc("month", s.previous_day)}


async def _added_up_now(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """The cohorts' rows added up under the region ``fact_cohorts`` gives them now, in the regional tables'
    column order."""
    found = {}
    c = fact_cohorts.c
    async with database.engine.connect() as connection:
        for regional, cells, key, sums in (
            (fact_region_cells, fact_indicator_cells, ["indicator", "category"], ["people", *MONEY]),
            (
                fact_region_attendance,
                fact_attendance_cells,
                ["previous_month"],
                ["people", "hours_recorded", "hours_attended"],
            ),
            (fact_region_contracts, fact_contract_days, ["category"], ["people", "contracts"]),
        ):
            s = cells.c
            joined = cells.outerjoin(fact_cohorts, and_(c.version == s.version, c.cohort_id == s.cohort_id))
            columns = {"version": s.version, "region": c.region, **{name: s[name] for name in key}, **_keyed(cells)}
            grouped = list(columns.values())
            columns |= {name: func.sum(s[name]) for name in sums}
            query = select(*(cast(columns[column.name], column.type) for column in regional.columns))
            rows = await connection.execute(query.select_from(joined).where(s.version == 1).group_by(*grouped))
            found[regional.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


async def _same_answers(database: Database) -> int:
    compared = 0
    async with database.engine.connect() as connection:
        queries = IndicatorQueries(connection, 1)
        for indicator_id in (*SUMMARISED, ATTENDANCE, CONTRACTS, HOUSING):
            indicator = BY_ID[indicator_id]
            for start, end in PERIODS:
                regional = await queries.tables(indicator, NATIONAL, Scope("everything"), start, end, AS_OF)
                facts = await queries.from_facts(indicator, NATIONAL, Scope("everything"), start, end, AS_OF)
                assert regional == facts, (indicator_id, start, end)
                compared += sum(len(table.cells) for table in facts)
    return compared


async def test_regional_rows_kept_by_difference_stay_the_cohorts_rows_added_up(postgres: Database) -> None:
    chance = random.Random(5)
    cohorts = [Cohort(chance.choice(["11", "84", "93"])) for _ in range(5)]
    people = [
        with_later_facts(person, chance)
        for cohort in cohorts
        for person in people_of(cohort, chance.randrange(8, 20), uuid.uuid4(), chance)
    ]
    await write(postgres, cohorts, people)
    assert (await _regional(postgres))[fact_region_attendance.name]  # people's months summed under their region
    assert (await _regional(postgres))[fact_region_contracts.name]  # and their contracts
    assert await _regional(postgres) == await _added_up_now(postgres)
    ids = [cohort.cohort_id for cohort in cohorts]
    late = ids[-1]
    async with postgres.engine.begin() as connection:  # the last cohort's cohort.created has not arrived yet
        await connection.execute(delete(fact_cohorts).where(fact_cohorts.c.cohort_id == late))
        await connection.execute(summary_due.insert().values(version=1, cohort_id=late))
        assert await sum_due(connection, 1) == 1
    everyone = sorted((person.beneficiary_id for person in people), key=str)
    p, c = fact_people.c, fact_cohorts.c
    for round_number in range(5):
        due: set[uuid.UUID | None] = set()
        async with postgres.engine.begin() as connection:
            for person in chance.sample(everyone, 6):  # people change cohort, or leave every cohort
                before = await connection.scalar(select(p.cohort_id).where(p.beneficiary_id == person))
                after = chance.choice([*ids, None])
                await connection.execute(update(fact_people).where(p.beneficiary_id == person).values(cohort_id=after))
                due |= {before, after}
            moved = chance.choice(ids[:-1])  # a cohort changes region
            region = chance.choice(["11", "84", "93", "24"])
            await connection.execute(update(fact_cohorts).where(c.cohort_id == moved).values(region=region))
            due.add(moved)
            if round_number == 2:  # the late cohort's region arrives
                await connection.execute(fact_cohorts.insert().values(version=1, cohort_id=late, region="24"))
                due.add(late)
            if round_number == 3:  # a person's facts erased
                gone = everyone.pop()
                cohort = await connection.scalar(select(p.cohort_id).where(p.beneficiary_id == gone))
                await connection.execute(delete(fact_people).where(p.beneficiary_id == gone))
                due.add(cohort)
            await connection.execute(summary_due.insert(), [{"version": 1, "cohort_id": cohort} for cohort in due])
            assert await sum_due(connection, 1) == len(due)  # cohort by cohort, not the whole version
        assert await _regional(postgres) == await _added_up_now(postgres), round_number
    assert await _same_answers(postgres) > 100
    kept = await _regional(postgres)
    async with postgres.engine.begin() as connection:
        await summarise(connection, 1)
    assert await _regional(postgres) == kept
