"""time_in_step's counts on PostgreSQL (``adapters/durations.py``, ``queries_durations.py``): answered from them,
the whole programme by region, by month and in total gives what ranking the facts gives, for periods cut
anywhere (a quarter's last day, a month's, within a month, over years); and the cohorts summed again one by
one, after their people's steps moved, a person changed cohort, a cohort's region arrived late, steps ended
before and after every count so far, leave the counts equal to counting the whole version afresh.

PostgreSQL only: the embedded SQLite database ranks the facts (``counted`` says which answers)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Interval, delete, func, literal, select, update

from hope_contracts import enrolment
from hope_infra.testing import received
from hopekit.uow import Database
from reporting_service.adapters.durations import TABLES
from reporting_service.adapters.queries import IndicatorQueries
from reporting_service.adapters.queries_durations import counted
from reporting_service.adapters.summaries import sum_due, summarise
from reporting_service.adapters.tables import fact_cohorts, fact_people, fact_person_steps, summary_due
from reporting_service.domain.indicators.figures import Table
from reporting_service.domain.indicators.registry import BY_ID
from reporting_service.domain.scoping import Scope

from .conftest import deliver
from .hand_made_facts import AS_OF, Cohort, people_of, write

pytestmark = pytest.mark.integration

TIME_IN_STEP = BY_ID["time_in_step"]
EVERYTHING = Scope("everything")
ASKED: list[list[str | None]] = [["region", "month", None], ["month", None]]


def _programme(chance: random.Random) -> tuple[list[Cohort], list[Any]]:
    cohorts = [Cohort(chance.choice(["11", "84", "93"])) for _ in range(chance.randrange(4, 8))]
    people = [
        person for cohort in cohorts for person in people_of(cohort, chance.randrange(5, 30), uuid.uuid4(), chance)
    ]
    return cohorts, people


def _periods(chance: random.Random) -> list[tuple[date, date]]:
    """The whole programme, quarters and months exactly, within a month, and periods cut anywhere."""
    periods = [(date(2017, 1, 1), AS_OF), (date(2024, 1, 1), date(2024, 3, 31)), (date(2024, 5, 1), date(2024, 5, 31))]
    periods += [(date(2024, 2, 10), date(2024, 2, 20)), (date(2023, 12, 31), date(2024, 1, 1))]
    for _ in range(6):
        start = date(2023, 1, 1) + timedelta(days=chance.randrange(1000))
        periods.append((start, start + timedelta(days=chance.choice([0, 15, 40, 89, 91, 400, 2000]))))
    return periods


def _rounded(table: Table) -> dict[tuple[str, str], tuple[int, dict[str, Decimal]]]:
    """A table's cells, ranks to the hundredth: the facts are ranked by ``percentile_cont`` in floating point."""
    return {
        key: (cell.people, {name: value.quantize(Decimal("0.01")) for name, value in cell.quantiles.items()})
        for key, cell in table.cells.items()
    }


async def _same_answers(database: Database, periods: list[tuple[date, date]]) -> int:
    compared = 0
    async with database.engine.connect() as connection:
        queries = IndicatorQueries(connection, 1)
        for groupings in ASKED:
            assert counted(TIME_IN_STEP.id, groupings, EVERYTHING, postgres=True)
            for start, end in periods:
                from_counts = await queries.tables(TIME_IN_STEP, groupings, EVERYTHING, start, end, AS_OF)
                from_facts = await queries.from_facts(TIME_IN_STEP, groupings, EVERYTHING, start, end, AS_OF)
                for counts, facts in zip(from_counts, from_facts, strict=True):
                    assert _rounded(counts) == _rounded(facts), (groupings, start, end)
                    compared += len(facts.cells)
    return compared


async def _counts(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    async with database.engine.connect() as connection:
        for table in TABLES:
            rows = await connection.execute(select(table).where(table.c.version == 1))
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


@pytest.mark.parametrize("seed", [1, 2])
async def test_the_counts_answer_what_ranking_the_facts_answers(postgres: Database, seed: int) -> None:
    chance = random.Random(seed)  # reproducible random programmes
    cohorts, people = _programme(chance)
    await write(postgres, cohorts, people)  # the whole version counted
    assert (await _counts(postgres))["fact_duration_to_date"]
    assert await _same_answers(postgres, _periods(chance)) > 300  # the periods drawn found people


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


async def test_cohorts_counted_again_one_by_one_equal_the_whole_version_counted_afresh(postgres: Database) -> None:
    chance = random.Random(7)
    cohorts, people = _programme(chance)
    await write(postgres, cohorts, people)
    first, second, late = cohorts[0], cohorts[1], Cohort("84")
    moved_person = next(p.beneficiary_id for p in people if p.dimensions["cohort"] == str(first.cohort_id))
    async with postgres.engine.begin() as connection:
        s, p = fact_person_steps.c, fact_people.c
        # The first cohort's people took 11 days more on each step they ended.
        firsts = select(p.beneficiary_id).where(p.cohort_id == first.cohort_id).scalar_subquery()
        await connection.execute(
            update(fact_person_steps)
            .where(s.beneficiary_id.in_(firsts), s.completed_at.is_not(None))
            .values(completed_at=s.completed_at + literal(timedelta(days=11), Interval))
        )
        # One of them moved to the second cohort (another region, maybe).
        await connection.execute(
            update(fact_people).where(p.beneficiary_id == moved_person).values(cohort_id=second.cohort_id)
        )
        # A step ended before any so far, and one after every quarter counted so far (the counts carried forward).
        for started, ended, cohort in (
            (date(2019, 1, 3), date(2019, 4, 9), second.cohort_id),
            (date(2027, 1, 3), date(2028, 2, 1), late.cohort_id),
            (date(2024, 6, 1), date(2024, 9, 30), late.cohort_id),
            # Two steps of the same days ending in two months of one quarter: one count to date for both.
            (date(2024, 10, 3), date(2024, 11, 4), late.cohort_id),
            (date(2024, 11, 2), date(2024, 12, 4), late.cohort_id),
        ):
            person = uuid.uuid4()
            await connection.execute(fact_people.insert().values(version=1, beneficiary_id=person, cohort_id=cohort))
            await connection.execute(
                fact_person_steps.insert().values(
                    version=1, beneficiary_id=person, step=3, started_at=_noon(started), completed_at=_noon(ended)
                )
            )
        # A person's steps erased.
        erased = next(p.beneficiary_id for p in people if p.dimensions["cohort"] == str(second.cohort_id))
        await connection.execute(delete(fact_person_steps).where(s.beneficiary_id == erased))
        due = [first.cohort_id, second.cohort_id, late.cohort_id]
        await connection.execute(summary_due.insert(), [{"version": 1, "cohort_id": cohort} for cohort in due])
        assert await sum_due(connection, 1) == 3  # one by one, not the whole version
    periods = [*_periods(chance), (date(2027, 1, 1), date(2028, 12, 31)), (date(2019, 1, 1), date(2019, 12, 31))]
    assert await _same_answers(postgres, periods) > 300
    # The late cohort's region arrives: its people move from the region-less key to it.
    async with postgres.engine.begin() as connection:
        await connection.execute(fact_cohorts.insert().values(version=1, cohort_id=late.cohort_id, region=late.region))
        await connection.execute(summary_due.insert().values(version=1, cohort_id=late.cohort_id))
        assert await sum_due(connection, 1) == 1
    assert await _same_answers(postgres, periods) > 300
    kept = await _counts(postgres)
    async with postgres.engine.begin() as connection:
        await summarise(connection, 1)
    assert await _counts(postgres) == kept


async def test_a_cohort_written_is_due_to_be_counted_again(postgres: Database) -> None:
    """``cohort.created`` arriving after its people's steps: its region moves their counts, so the cohort is due."""
    cohort_id = uuid.uuid4()
    created = enrolment.CohortCreated(
        cohort_id=cohort_id,
        sector_code="logistics",
        region="84",
        track="group",
        training_provider_org_id=uuid.uuid4(),
        support_provider_org_id=uuid.uuid4(),
        capacity=12,
        occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    await deliver(postgres, received(created))
    async with postgres.engine.connect() as connection:
        due = await connection.scalars(select(summary_due.c.cohort_id).where(summary_due.c.version == 1))
        assert set(due) == {cohort_id}
        assert await connection.scalar(select(func.count()).select_from(summary_due)) == 1


async def test_random_changes_counted_cohort_by_cohort_equal_the_whole_version_counted_afresh(
    postgres: Database,
) -> None:
    """Few durations and few months, so that changes collide on one count: rounds of steps added, moved and erased
    and people changing cohort, each round's cohorts counted again one by one."""
    chance = random.Random(11)
    cohorts = [uuid.uuid4() for _ in range(4)]
    async with postgres.engine.begin() as connection:
        regions = ["11", "84", "11", None]
        for cohort, region in zip(cohorts, regions, strict=True):
            if region is not None:  # the last one's cohort.created has not arrived
                await connection.execute(fact_cohorts.insert().values(version=1, cohort_id=cohort, region=region))
    people: dict[uuid.UUID, uuid.UUID | None] = {}
    for _ in range(6):
        due: set[uuid.UUID | None] = set()
        async with postgres.engine.begin() as connection:
            s, p = fact_person_steps.c, fact_people.c
            for _ in range(12):
                ended = date(2024, 1, 1) + timedelta(days=chance.randrange(0, 240))
                started = ended - timedelta(days=chance.choice([30, 60]))
                step = chance.choice([1, 3])
                if people and chance.random() < 0.6:
                    person = chance.choice(sorted(people, key=str))
                    action = chance.choice(["end", "move", "erase"])
                    due.add(people[person])
                    if action == "move":
                        people[person] = chance.choice([*cohorts, None])
                        await connection.execute(
                            update(fact_people).where(p.beneficiary_id == person).values(cohort_id=people[person])
                        )
                    elif action == "erase":
                        await connection.execute(delete(fact_person_steps).where(s.beneficiary_id == person))
                    else:
                        await connection.execute(
                            update(fact_person_steps)
                            .where(s.beneficiary_id == person)
                            .values(started_at=_noon(started), completed_at=_noon(ended))
                        )
                    due.add(people[person])
                    continue
                person, cohort = uuid.uuid4(), chance.choice([*cohorts, None])
                people[person] = cohort
                due.add(cohort)
                await connection.execute(
                    fact_people.insert().values(version=1, beneficiary_id=person, cohort_id=cohort)
                )
                await connection.execute(
                    fact_person_steps.insert().values(
                        version=1,
                        beneficiary_id=person,
                        step=step,
                        started_at=_noon(started),
                        completed_at=_noon(ended),
                    )
                )
            await connection.execute(summary_due.insert(), [{"version": 1, "cohort_id": cohort} for cohort in due])
            assert await sum_due(connection, 1) == len(due)
    periods = [
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2024, 2, 10), date(2024, 5, 31)),
        (date(2024, 3, 5), date(2024, 3, 20)),
    ]
    assert await _same_answers(postgres, periods) > 20
    kept = await _counts(postgres)
    assert kept["fact_duration_to_date"]
    async with postgres.engine.begin() as connection:
        await summarise(connection, 1)
    assert await _counts(postgres) == kept


async def test_the_days_of_the_last_month_count_in_the_period_and_in_its_month(postgres: Database) -> None:
    """The days of the end's month, read from the facts, count in the period's answer and in that month's cell:
    several people of a region ending a step with the same days on the same day, in two regions."""
    cohorts = {"11": uuid.uuid4(), "84": uuid.uuid4()}
    async with postgres.engine.begin() as connection:
        for region, cohort in cohorts.items():
            await connection.execute(fact_cohorts.insert().values(version=1, cohort_id=cohort, region=region))
        for region, ended, days, people in (
            ("11", date(2024, 5, 10), 30, 6),
            ("84", date(2024, 5, 10), 30, 2),
            ("11", date(2024, 5, 12), 45, 3),
            ("11", date(2024, 4, 2), 60, 5),  # a whole month before: kept counts, not these days
        ):
            for _ in range(people):
                person = uuid.uuid4()
                await connection.execute(
                    fact_people.insert().values(version=1, beneficiary_id=person, cohort_id=cohorts[region])
                )
                await connection.execute(
                    fact_person_steps.insert().values(
                        version=1,
                        beneficiary_id=person,
                        step=3,
                        started_at=_noon(ended - timedelta(days=days)),
                        completed_at=_noon(ended),
                    )
                )
        await summarise(connection, 1)
    assert await _same_answers(
        postgres, [(date(2024, 1, 1), date(2024, 5, 20)), (date(2024, 4, 15), date(2024, 5, 12))]
    )
    async with postgres.engine.connect() as connection:
        month, totals = await IndicatorQueries(connection, 1).tables(
            TIME_IN_STEP, ["month", None], EVERYTHING, date(2024, 1, 1), date(2024, 5, 20), AS_OF
        )
    assert month.cells[("2024-05", "step_3")].people == 11
    assert totals.cells[("", "step_3")].people == 16


async def test_an_answer_plans_each_statement_for_its_own_dates_and_only_in_its_transaction(
    postgres: Database,
) -> None:
    """PostgreSQL would switch a statement prepared on a pooled connection to a generic plan from its sixth run
    (time_in_step's counts to date: 22 to 30 ms); an answer's transaction plans each one anew, and a consumer's
    next transaction on the connection keeps PostgreSQL's setting."""
    async with postgres.engine.connect() as connection:
        default = await connection.scalar(select(func.current_setting("plan_cache_mode")))
        await IndicatorQueries(connection, 1).tables(
            TIME_IN_STEP, ["region"], EVERYTHING, date(2017, 1, 1), AS_OF, AS_OF
        )
        assert await connection.scalar(select(func.current_setting("plan_cache_mode"))) == "force_custom_plan"
        assert await connection.scalar(select(func.current_setting("work_mem"))) == "64MB"
        await connection.commit()
        assert await connection.scalar(select(func.current_setting("plan_cache_mode"))) == default == "auto"
