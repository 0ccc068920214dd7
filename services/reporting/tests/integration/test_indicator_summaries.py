"""The indicators' summaries, on SQLite and PostgreSQL: answered from them, every summarised indicator gives what
the fact tables give (random programmes, periods cut anywhere in a month, every grouping and scope but a
funder's), and what the consumers note as due keeps them equal to the facts (a person moving cohort included)."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hope_contracts import EventContract, enrolment
from hope_infra.testing import received
from hopekit.uow import Database
from reporting_service.adapters.queries import IndicatorQueries
from reporting_service.adapters.queries_summaries import summarised
from reporting_service.adapters.regions import REGIONAL
from reporting_service.adapters.summaries import ATTENDANCE, CONTRACTS, HOUSING, SUMMARISED, summarise
from reporting_service.adapters.tables import (
    fact_attendance_cells,
    fact_indicator_cells,
    fact_indicator_days,
    summary_due,
    summary_nights,
)
from reporting_service.adapters.tables_summaries import fact_attendance_years, fact_contract_days
from reporting_service.domain.indicators.facts import AttendanceMonth, PersonFacts, WorkStudyContract
from reporting_service.domain.indicators.figures import Cell, Table
from reporting_service.domain.indicators.registry import BY_ID
from reporting_service.domain.scoping import Scope

from .conftest import deliver
from .hand_made_facts import AS_OF, Cohort, people_of, with_later_facts, write
from .scenario import Cohort as CohortEvents
from .scenario import at

pytestmark = pytest.mark.integration

GROUPINGS: list[str | None] = ["region", "sector", "cohort", "provider", "track", "month", None]
SUMMARIES = (
    fact_indicator_days,
    fact_indicator_cells,
    fact_attendance_cells,
    fact_contract_days,
    fact_attendance_years,
    *REGIONAL,  # PostgreSQL's regional rows (empty on SQLite)
)


def _programme(chance: random.Random) -> tuple[list[Cohort], list[PersonFacts]]:
    cohorts = [Cohort(chance.choice(["11", "84", "93"])) for _ in range(chance.randrange(3, 7))]
    people: list[PersonFacts] = []
    for cohort in cohorts:
        people += people_of(cohort, chance.randrange(0, 25), uuid.uuid4(), chance)
    return cohorts, [with_later_facts(person, chance) for person in people]


def _period(chance: random.Random) -> tuple[date, date]:
    """Anywhere from whole years to a few days within one month, starting and ending on any day."""
    start = date(2023, 1, 1) + timedelta(days=chance.randrange(1200))
    return start, start + timedelta(days=chance.choice([0, 9, 40, 75, 400, 2000]))


def _scopes(cohorts: list[Cohort], chance: random.Random) -> list[Scope]:
    cohort = chance.choice(cohorts)
    return [
        Scope("everything"),
        Scope("training_provider", cohort.trainer),
        Scope("support_provider", cohort.supporter),
        Scope("everything", cohort_id=cohort.cohort_id),
        Scope("training_provider", uuid.uuid4()),  # no cohort of its own: nothing
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_summaries_answer_what_the_facts_answer(database: Database, seed: int) -> None:
    chance = random.Random(seed)  # reproducible random programmes
    cohorts, people = _programme(chance)
    await write(database, cohorts, people)  # summed as the consumers keep them
    compared = housed = 0
    async with database.engine.connect() as connection:
        queries = IndicatorQueries(connection, 1)
        for indicator_id in (*SUMMARISED, ATTENDANCE, CONTRACTS, HOUSING):
            indicator = BY_ID[indicator_id]
            for _ in range(4):
                start, end = _period(chance)
                for scope in _scopes(cohorts, chance):
                    assert summarised(indicator, GROUPINGS, scope)
                    from_summaries = await queries.tables(indicator, GROUPINGS, scope, start, end, AS_OF)
                    from_facts = await queries.from_facts(indicator, GROUPINGS, scope, start, end, AS_OF)
                    assert from_summaries == from_facts, (indicator_id, start, end, scope)
                    compared += sum(len(table.cells) for table in from_facts)
                    housed += sum(cell.people for (_, kind), cell in from_facts[-1].cells.items() if kind == "housed")
    assert compared > 500  # the periods and scopes drawn found people
    assert housed > 0  # and people housed the night asked among them


async def _the_same_from_the_summaries(
    database: Database, indicator_id: str, periods: list[tuple[date, date]]
) -> list[Table]:
    """The indicator by region, month and in total over each period, from the summaries and from the facts: the
    same. The summaries' tables of the first period are returned."""
    indicator, groupings = BY_ID[indicator_id], ["region", "month", None]
    found: list[list[Table]] = []
    async with database.engine.connect() as connection:
        queries = IndicatorQueries(connection, 1)
        for start, end in periods:
            answered = await queries.tables(indicator, groupings, Scope("everything"), start, end, AS_OF)
            assert answered == await queries.from_facts(indicator, groupings, Scope("everything"), start, end, AS_OF)
            found.append(answered)
    return found[0]


async def test_a_persons_contracts_of_one_type_count_them_once_per_cell_wherever_the_period_starts(
    database: Database,
) -> None:
    """work_study_contracts' summary holds each person's previous day with a contract of the type: whatever the
    day a period starts on (before, between or after a person's contracts in one month), it gives what the
    facts give."""
    cohort = Cohort("84")
    first, second = people_of(cohort, 2, uuid.uuid4(), random.Random(5))
    apprenticeship = [date(2024, 3, 5), date(2024, 3, 20), date(2024, 5, 10), date(2024, 5, 10)]
    first = replace(
        first,
        contracts=(
            *(WorkStudyContract("apprenticeship", day) for day in apprenticeship),
            WorkStudyContract("cddi", date(2024, 3, 20)),
        ),
    )
    second = replace(second, contracts=(WorkStudyContract("apprenticeship", date(2024, 3, 25)),))
    await write(database, [cohort], [first, second])
    periods = [
        (date(2024, 3, 21), date(2024, 5, 31)),
        (date(2024, 3, 1), date(2024, 5, 31)),
        (date(2024, 3, 10), date(2024, 5, 31)),
        (date(2024, 3, 10), date(2024, 5, 9)),
        (date(2024, 3, 21), date(2024, 3, 24)),
        (date(2024, 5, 10), date(2024, 5, 10)),
    ]
    region, month, _ = await _the_same_from_the_summaries(database, CONTRACTS, periods)
    # In the first period, the first person's March contracts are before it: they count in May, once, with both
    # contracts.
    assert region.cells[("84", "apprenticeship")] == Cell(2, {"contracts": Decimal(3)})
    assert month.cells[("2024-03", "apprenticeship")] == Cell(1, {"contracts": Decimal(1)})
    assert month.cells[("2024-05", "apprenticeship")] == Cell(1, {"contracts": Decimal(2)})
    assert ("84", "cddi") not in region.cells


async def test_attendance_counts_a_person_once_whether_their_months_lie_in_whole_years_or_around_them(
    database: Database,
) -> None:
    """Attendance is read per year for the whole years of a period and per month around them: a person whose months
    span a year's end counts once, in the first of their months in the period, wherever the period starts."""
    cohort = Cohort("93")
    first, second = people_of(cohort, 2, uuid.uuid4(), random.Random(7))
    hours = AttendanceMonth(Decimal("35.00"), Decimal("30.00"))
    months = [date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 6, 1), date(2025, 2, 1)]
    first = replace(first, attendance=dict.fromkeys(months, hours))
    second = replace(second, attendance={date(2024, 3, 1): hours})
    await write(database, [cohort], [first, second])
    periods = [
        (date(2023, 12, 1), date(2025, 12, 1)),
        (date(2023, 1, 1), date(2025, 12, 31)),
        (date(2023, 12, 15), date(2025, 1, 31)),
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2024, 2, 1), date(2025, 11, 30)),
    ]
    region, _, _ = await _the_same_from_the_summaries(database, ATTENDANCE, periods)
    # In the first period, December 2023 around the whole years 2024 and 2025: the first person counts there, not
    # again in them.
    assert region.cells[("93", "attended")] == Cell(2, {"recorded": Decimal("175.00"), "attended": Decimal("150.00")})


async def _summaries(database: Database, version: int = 1) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    async with database.engine.connect() as connection:
        for table in SUMMARIES:
            rows = await connection.execute(select(table).where(table.c.version == version))
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


async def test_the_cohorts_the_consumers_note_as_due_summed_again_equal_the_facts_a_person_moving_cohort_too(
    database: Database,
) -> None:
    first, second = CohortEvents(), CohortEvents()
    events: list[EventContract] = [*first.events(), *second.events()]
    # The leaver of the first cohort joins the second one: both cohorts' rows move.
    events.append(
        enrolment.CohortMemberAdded(cohort_id=second.cohort_id, beneficiary_id=first.leaver, occurred_at=at(40))
    )
    for event in events:
        await deliver(database, received(event))
    async with database.engine.connect() as connection:
        due = set(await connection.scalars(select(summary_due.c.cohort_id).where(summary_due.c.version == 1)))
    assert due == {first.cohort_id, second.cohort_id, None}  # None: people registered before joining one
    async with database.engine.connect() as connection:  # the next answer sums them again first, and sees it
        queries = IndicatorQueries(connection, 1)
        entries = BY_ID["entries"]
        answered = await queries.tables(entries, ["region"], Scope("everything"), date(2017, 1, 1), AS_OF, AS_OF)
        assert answered == await queries.from_facts(
            entries, ["region"], Scope("everything"), date(2017, 1, 1), AS_OF, AS_OF
        )
    kept = await _summaries(database)
    assert kept["fact_indicator_cells"]
    assert kept["fact_attendance_cells"]
    assert kept["fact_contract_days"]
    assert kept["fact_attendance_years"]
    async with database.engine.begin() as connection:
        await summarise(connection, 1)
    assert await _summaries(database) == kept
    async with database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(summary_due)) == 0


async def test_people_without_housing_is_counted_again_for_each_night_asked(database: Database) -> None:
    """Its rows hold one night: an answer for another night counts every cohort's again first, and the cohorts
    summed again later keep to the night counted."""
    cohorts, people = _programme(random.Random(11))
    await write(database, cohorts, people)
    housing, start = BY_ID[HOUSING], date(2017, 1, 1)
    answers = []
    for night in (AS_OF, AS_OF - timedelta(days=45), AS_OF):
        async with database.engine.connect() as connection:
            await connection.scalar(select(func.count()).select_from(summary_due))  # the answer has read already
            queries = IndicatorQueries(connection, 1)
            answered = await queries.tables(housing, GROUPINGS, Scope("everything"), start, AS_OF, night)
            assert answered == await queries.from_facts(housing, GROUPINGS, Scope("everything"), start, AS_OF, night)
            assert await connection.scalar(select(summary_nights.c.night)) == night
        answers.append(answered)
    # Placements cover the last night, none the one 45 days before (``hand_made_facts.with_later_facts``).
    assert any(kind == "housed" for _, kind in answers[0][-1].cells)
    assert not any(kind == "housed" for _, kind in answers[1][-1].cells)
    assert answers[2] == answers[0]
    kept = await _summaries(database)
    async with database.engine.begin() as connection:  # every cohort summed again: for the night counted
        await summarise(connection, 1)
    assert await _summaries(database) == kept
