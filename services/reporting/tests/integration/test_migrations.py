"""The schema's migrations go down to nothing and up again on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Date, Integer, TextClause, Uuid, bindparam, inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.migrations import downgrade, upgrade
from hopekit.db.types import UTCDateTime, money

from .support import SERVICE_ROOT

pytestmark = pytest.mark.integration


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


# Alembic runs its own event loop (hopekit.db.migrations): this test is synchronous.
def test_the_migrations_go_down_to_nothing_and_up_again(database_url: str) -> None:
    assert {"fact_people", "read_model_versions", "outbox"} <= asyncio.run(_tables(database_url))
    downgrade(SERVICE_ROOT, database_url)
    assert asyncio.run(_tables(database_url)) <= {"alembic_version"}
    upgrade(SERVICE_ROOT, database_url)
    assert {"fact_people", "read_model_versions", "outbox"} <= asyncio.run(_tables(database_url))


async def _run(url: str, statements: list[tuple[str, list[dict[str, object]]]]) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            found: list[tuple[object, ...]] = []
            for statement, rows in statements:
                result = await connection.execute(_typed(statement), rows or None)
                if result.returns_rows:
                    found += [tuple(row) for row in result]
            return found
    finally:
        await engine.dispose()


def test_migrations_0009_to_0012_fill_money_beyond_commitments_french_levels_and_unsplit_marks_from_the_facts(
    database_url: str,
) -> None:
    person, agreement, line = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    downgrade(SERVICE_ROOT, database_url, "0008")
    ids = {"version": 1, "person": person, "agreement": agreement}
    move = (
        "INSERT INTO fact_money_movements (version, movement_id, beneficiary_id, budget_line_id, kind, agreement_id, "
        "funder_id, amount, occurred_at) VALUES (:version, :movement, :person, :line, :kind, :agreement, :agreement, "
        ":amount, :at)"
    )
    moves = [  # 100.00 committed, then 130.00 consumed: 30.00 beyond.
        {**ids, "movement": uuid.uuid4(), "line": line, **row}
        for row in (
            {"kind": "committed", "amount": Decimal("100.00"), "at": datetime(2026, 3, 1, tzinfo=UTC)},
            {"kind": "consumed", "amount": Decimal("130.00"), "at": datetime(2026, 3, 2, tzinfo=UTC)},
        )
    ]
    assess = (
        "INSERT INTO fact_language_assessments (version, assessment_id, beneficiary_id, skill, level, test, "
        "assessed_on, recorded_at) VALUES (:version, :assessment, :person, 'overall', :level, 'TCF', :on, :at)"
    )
    levels = [
        {**ids, "assessment": uuid.uuid4(), "level": level, "on": on, "at": None}
        for level, on in (("A1", date(2026, 1, 5)), ("B1", date(2026, 6, 30)), ("C2", date(2026, 7, 2)))
    ]
    asyncio.run(
        _run(
            database_url,
            [
                (move, moves),
                (
                    "INSERT INTO fact_money (version, beneficiary_id, agreement_id, funder_id, committed, released, "
                    "consumed, claimed, approved, paid) VALUES (:version, :person, :agreement, :agreement, 100, 0, "
                    "130, 0, 0, 0)",
                    [ids],
                ),
                (assess, levels),
                (
                    "INSERT INTO fact_person_steps (version, beneficiary_id, step, completed_at, hours_recorded, "
                    "hours_attended, hours_excused, hours_unexcused, sessions_recorded) "
                    "VALUES (:version, :person, 3, :at, 0, 0, 0, 0, 0)",
                    [{**ids, "at": datetime(2026, 6, 30, 16, tzinfo=UTC)}],
                ),
            ],
        )
    )
    upgrade(SERVICE_ROOT, database_url)
    found = asyncio.run(
        _run(
            database_url,
            [
                ("SELECT beyond_commitment FROM fact_money", []),
                ("SELECT level_attested FROM fact_person_steps WHERE step = 3", []),
                (
                    "SELECT beneficiary_id, budget_line_id, amount FROM fact_money_movements WHERE kind = 'unsplit'",
                    [],
                ),
            ],
        )
    )
    assert [Decimal(str(value)) for value in found[0]] == [Decimal("30.00")]
    assert found[1] == ("B1",), "the latest assessment on or before the day step 3 ended"
    # The consumption was kept whole (written before funding said what was drawn): its line is marked for replay.
    mark = found[2]
    assert [str(uuid.UUID(str(value))) for value in mark[:2]] == [str(person), str(line)]
    assert Decimal(str(mark[2])) == 0
    assert len(found) == 3  # one mark for the line, the commitment marks nothing


def test_migration_0016_empties_time_in_steps_monthly_counts_and_notes_every_cohort_due(database_url: str) -> None:
    person, cohort = uuid.uuid4(), uuid.uuid4()
    downgrade(SERVICE_ROOT, database_url, "0015")
    ids = {"version": 1, "person": person, "cohort": cohort}
    asyncio.run(
        _run(
            database_url,
            [
                (
                    "INSERT INTO fact_people (version, beneficiary_id, cohort_id) VALUES (:version, :person, :cohort)",
                    [ids],
                ),
                (
                    "INSERT INTO fact_duration_cohorts (version, cohort_id, month, region, category, days, people) "
                    "VALUES (1, :cohort, '2026-06-01', '84', 'step_3', 30, 1)",
                    [ids],
                ),
                (
                    "INSERT INTO fact_duration_months (version, month, region, category, days, people) "
                    "VALUES (1, '2026-06-01', '84', 'step_3', 30, 1)",
                    [],
                ),
            ],
        )
    )
    upgrade(SERVICE_ROOT, database_url)
    found = asyncio.run(
        _run(
            database_url,
            [
                ("SELECT count(*) FROM fact_duration_cohorts", []),
                ("SELECT count(*) FROM fact_duration_months", []),
                ("SELECT count(*) FROM fact_duration_days", []),
                ("SELECT cohort_id FROM summary_due WHERE version = 1", []),
            ],
        )
    )
    assert found[:3] == [(0,), (0,), (0,)], "counted per month: counted again per day by the next answer"
    assert [str(uuid.UUID(str(row[0]))) for row in found[3:]] == [str(cohort)]


def test_migration_0017_adds_up_the_contract_days_per_region_month_and_previous_month(database_url: str) -> None:
    cohort = uuid.uuid4()
    downgrade(SERVICE_ROOT, database_url, "0016")
    days = (
        "INSERT INTO fact_contract_days (version, cohort_id, sector_code, track, day, category, previous_day, people,"
        " contracts) VALUES (1, :cohort, :sector, 'standard', :on, 'apprenticeship', {}, 1, :contracts)"
    )
    asyncio.run(
        _run(
            database_url,
            [
                (
                    "INSERT INTO fact_summed_cohorts (version, cohort_id, region) VALUES (1, :cohort, '84')",
                    [{"cohort": cohort}],
                ),
                (
                    days.format("NULL"),
                    [
                        {"cohort": cohort, "sector": "construction", "on": date(2025, 3, 5), "contracts": 1},
                        {"cohort": cohort, "sector": "logistics", "on": date(2025, 3, 20), "contracts": 2},
                    ],
                ),
                (
                    days.format("'2025-03-05'"),
                    [{"cohort": cohort, "sector": "construction", "on": date(2025, 4, 2), "contracts": 1}],
                ),
            ],
        )
    )
    upgrade(SERVICE_ROOT, database_url)
    found = asyncio.run(
        _run(
            database_url,
            [
                (
                    "SELECT month, region, category, previous_month, people, contracts FROM fact_region_contracts"
                    " ORDER BY month",
                    [],
                ),
            ],
        )
    )
    if not database_url.startswith("postgresql"):
        assert found == [], "the answers on SQLite add the cohorts' rows up themselves"
        return
    assert found == [
        (date(2025, 3, 1), "84", "apprenticeship", None, 2, 3),
        (date(2025, 4, 1), "84", "apprenticeship", date(2025, 3, 1), 1, 1),
    ]


TYPES = {"person": Uuid(), "agreement": Uuid(), "line": Uuid(), "movement": Uuid(), "assessment": Uuid()}
TYPES |= {"cohort": Uuid(), "contracts": Integer()}
TYPES |= {"amount": money(), "at": UTCDateTime(), "on": Date()}


def _typed(statement: str) -> TextClause:
    """The statement with its parameters stored as the tables' types store them (UUIDs as 32 hex digits on SQLite)."""
    typed = [bindparam(name, type_=kind) for name, kind in TYPES.items() if f":{name}" in statement]
    return text(statement).bindparams(*typed)
