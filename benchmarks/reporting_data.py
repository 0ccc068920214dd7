"""A national-scale programme written straight into reporting's fact tables with COPY (the consumers' work is
measured by the ingestion section, not here): 100,000 people over ten years in 2,000 cohorts across 12 regions,
their steps, monthly attendance adding up to 20 million attendance entries (per step, and per person over the
steps), language assessments, qualifications, outcomes, follow-ups, money, housing placements and work-study
contracts."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import create_async_engine

from reporting_service.adapters.levels import level_update
from reporting_service.adapters.summaries import housing_for_night, summarise

PEOPLE = 100_000
COHORTS = 2_000
REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93")
SECTORS = ("construction", "industry", "logistics", "hospitality", "cleaning", "agriculture", "transport", "retail")
ENTRIES_PER_MONTH_ROW = 13
LITERAL = {"literal_binds": True}  # a statement compiled with its values, for asyncpg's execute
FIRST_DAY = date(2016, 12, 1)
LAST_DAY = date(2026, 11, 30)
ATTENDANCE_TOTALS = ("hours_recorded", "hours_attended", "hours_excused", "hours_unexcused", "sessions_recorded")
OUTCOMES = ("cdi", "cdd_6m_plus", "interim", "work_study", "cdd_short", "training", "job_search", "other")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def _months(start: date, end: date) -> Iterator[date]:
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


@dataclass
class Facts:
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)

    def add(self, table: str, columns: list[str], row: tuple[Any, ...]) -> None:
        self.tables.setdefault(table, (columns, []))[1].append(row)

    @property
    def attendance_entries(self) -> int:
        columns, rows = self.tables["fact_attendance_months"]
        at = columns.index("sessions_recorded")
        return sum(row[at] for row in rows)


def national(seed: int = 17) -> Facts:
    chance = random.Random(seed)  # noqa: S311 - reproducible sample data, no secret

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=chance.getrandbits(128), version=4)

    facts = Facts()
    # Housing and work-study contracts come from a stream of their own: the other facts stay those measured before.
    aside = random.Random(seed + 1)  # noqa: S311 - reproducible sample data, no secret
    trainers = [new_id() for _ in range(60)]
    supporters = [new_id() for _ in range(40)]
    funders = [new_id() for _ in range(8)]
    span = (LAST_DAY - FIRST_DAY).days
    cohorts = []
    for _ in range(COHORTS):
        cohort = (
            new_id(),
            chance.choice(REGIONS),
            chance.choice(SECTORS),
            chance.choice(trainers),
            chance.choice(supporters),
            FIRST_DAY + timedelta(days=chance.randrange(span - 200)),
        )
        cohorts.append(cohort)
        facts.add(
            "fact_cohorts",
            [
                "version",
                "cohort_id",
                "region",
                "sector_code",
                "track",
                "training_provider_org_id",
                "support_provider_org_id",
                "capacity",
            ],
            (1, cohort[0], cohort[1], cohort[2], "group", cohort[3], cohort[4], 60),
        )
    for _ in range(PEOPLE):
        cohort_id, _region, sector, _trainer, supporter, opens = chance.choice(cohorts)
        person = new_id()
        registered = opens - timedelta(days=chance.randrange(60, 200))
        steps: dict[int, tuple[date, date | None]] = {}
        day = registered + timedelta(days=7)
        reached = 0
        for step, days in ((1, 150), (2, 30), (3, 90), (4, 120)):
            end = day + timedelta(days=chance.randrange(days // 2, days * 2))
            if end > LAST_DAY or chance.random() < 0.08:
                steps[step] = (day, None)
                reached = step
                break
            steps[step] = (day, end)
            reached, day = step, end + timedelta(days=1)
        finished = steps[reached][1] is not None and reached == 4
        withdrawn = None if finished or chance.random() < 0.5 else steps[reached][0] + timedelta(days=20)
        withdrawn = withdrawn if withdrawn and withdrawn <= LAST_DAY else None
        completed = steps[4][1] if finished else None
        left = withdrawn or completed
        status = (
            "withdrawn"
            if withdrawn
            else "completed"
            if completed
            else ("prerequisites", "pre_orientation", "french_qualification", "trade_qualification")[reached - 1]
        )
        outcome = chance.choice(OUTCOMES) if left and reached >= 3 else None
        qualification = chance.choice(("awarded", "awarded", "partially_awarded", "failed")) if finished else None
        facts.add(
            "fact_people",
            [
                "version",
                "beneficiary_id",
                "cohort_id",
                "track",
                "sector_code",
                "status",
                "registered_at",
                "withdrawn_at",
                "withdrawal_reason",
                "completed_at",
                "qualification_result",
                "qualification_awarded_on",
                "exit_outcome",
                "exit_on",
                "support_org_id",
            ],
            (
                1,
                person,
                cohort_id,
                "group",
                sector,
                status,
                _at(registered),
                _at(withdrawn) if withdrawn else None,
                chance.choice(("employment_found", "moved_away", "personal", "excluded", "other"))
                if withdrawn
                else None,
                _at(completed) if completed else None,
                qualification,
                completed,
                outcome,
                left,
                supporter,
            ),
        )
        person_months: dict[date, tuple[Decimal, Decimal, int]] = {}
        for step, (started, ended) in steps.items():
            facts.add(
                "fact_person_steps",
                [
                    "version",
                    "beneficiary_id",
                    "step",
                    "started_at",
                    "completed_at",
                    "hours_recorded",
                    "hours_attended",
                    "hours_excused",
                    "hours_unexcused",
                    "sessions_recorded",
                ],
                (
                    1,
                    person,
                    step,
                    _at(started),
                    _at(ended) if ended else None,
                    Decimal(0),
                    Decimal(0),
                    Decimal(0),
                    Decimal(0),
                    0,
                ),
            )
            if step in (3, 4):
                for month in _months(started, ended or LAST_DAY):
                    sessions = ENTRIES_PER_MONTH_ROW
                    recorded = Decimal(sessions * 3)
                    attended = recorded - Decimal(chance.randrange(0, 20))
                    facts.add(
                        "fact_attendance_months",
                        ["version", "beneficiary_id", "step", "month", *ATTENDANCE_TOTALS],
                        (1, person, step, month, recorded, attended, Decimal(0), recorded - attended, sessions),
                    )
                    before = person_months.get(month, (Decimal(0), Decimal(0), 0))
                    person_months[month] = (before[0] + recorded, before[1] + attended, before[2] + sessions)
        for month, (recorded, attended, sessions) in person_months.items():
            facts.add(
                "fact_attendance_person_months",
                ["version", "beneficiary_id", "month", *ATTENDANCE_TOTALS],
                (1, person, month, recorded, attended, Decimal(0), recorded - attended, sessions),
            )
        if 3 in steps and steps[3][1] is not None:
            for level, on in (("A1", steps[3][0]), (chance.choice(("A1", "A2", "A2", "B1", "B2")), steps[3][1])):
                facts.add(
                    "fact_language_assessments",
                    ["version", "assessment_id", "beneficiary_id", "skill", "level", "test", "assessed_on"],
                    (1, new_id(), person, "overall", level, "TCF", on),
                )
        if left and reached >= 3:
            for months in (3, 6, 12):
                due = left + timedelta(days=30 * months)
                if due <= LAST_DAY:
                    status_of = chance.choice(("done", "done", "done", "unreachable"))
                    facts.add(
                        "fact_follow_ups",
                        [
                            "version",
                            "beneficiary_id",
                            "months_after_exit",
                            "follow_up_id",
                            "due_on",
                            "status",
                            "attempts",
                            "outcome_code",
                            "recorded_at",
                        ],
                        (
                            1,
                            person,
                            months,
                            new_id(),
                            due,
                            status_of,
                            1,
                            chance.choice(OUTCOMES) if status_of == "done" else None,
                            _at(due),
                        ),
                    )
        _housing_and_contracts(facts, aside, person, steps)
        if reached >= 3:
            committed = Decimal(chance.randrange(3000, 9000))
            consumed = (committed * Decimal(chance.randrange(30, 100)) / 100).quantize(Decimal("0.01"))
            facts.add(
                "fact_money",
                [
                    "version",
                    "beneficiary_id",
                    "agreement_id",
                    "funder_id",
                    "committed",
                    "released",
                    "consumed",
                    "claimed",
                    "approved",
                    "paid",
                ],
                (
                    1,
                    person,
                    new_id(),
                    chance.choice(funders),
                    committed,
                    Decimal(0),
                    consumed,
                    consumed,
                    consumed,
                    (consumed * Decimal("0.8")).quantize(Decimal("0.01")),
                ),
            )
    facts.add(
        "read_model_positions",
        ["version", "topic", "partition", "complete_up_to", "last_offset"],
        (1, "hope.enrolment.events", 0, _at(LAST_DAY), 1),
    )
    return facts


CONTRACT_TYPES = ("apprenticeship", "professionalisation", "cdpi", "cddi", "other")


def _housing_and_contracts(
    facts: Facts,
    chance: random.Random,
    person: uuid.UUID,
    steps: dict[int, tuple[date, date | None]],
) -> None:
    """Two people in three housed from step 1 to the end of their last step (a tenth released a month early);
    a work-study contract for a third of those who reached step 4, signed the day it started."""

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=chance.getrandbits(128), version=4)

    if chance.random() < 2 / 3:
        starts = steps[1][0]
        ends = max(end or LAST_DAY for _, end in steps.values()) + timedelta(days=1)
        released = ends - timedelta(days=30) if chance.random() < 0.1 and ends - starts > timedelta(days=60) else None
        facts.add(
            "fact_housing",
            ["version", "placement_id", "beneficiary_id", "starts_on", "ends_on", "released_on"],
            (1, new_id(), person, starts, ends, released),
        )
    if 4 in steps and chance.random() < 1 / 3:
        signed = steps[4][0]
        facts.add(
            "fact_contracts",
            ["version", "contract_id", "beneficiary_id", "contract_type", "starts_on", "signed_at", "started_on"],
            (1, new_id(), person, chance.choice(CONTRACT_TYPES), signed, _at(signed), signed),
        )


async def copy(url: str, facts: Facts) -> None:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        for table, (columns, rows) in facts.tables.items():
            await connection.copy_records_to_table(table, records=rows, columns=columns)
        # The level at the end of step 3 as the ingest keeps it on the step's row, by the ingest's own statement.
        levels = level_update(True).compile(dialect=postgresql.dialect(), compile_kwargs=LITERAL)  # type: ignore[no-untyped-call]
        await connection.execute(str(levels))
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    # The indicators' summaries, as the answers sum them, by their own statements.
    engine = create_async_engine(url)
    try:
        async with engine.begin() as summing:
            await summarise(summing, 1)
        # people_without_housing's rows for the night the figures are complete to, as the service's job counts them.
        async with engine.connect() as answering:
            await housing_for_night(answering, 1, LAST_DAY)
    finally:
        await engine.dispose()
    # Vacuumed as autovacuum would have done on rows written long ago: the answers read the summaries (and the people
    # on the path, their housing) from their indexes alone once the pages are marked all-visible, else each row is
    # looked up in the table too.
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(
            "VACUUM ANALYZE fact_indicator_days, fact_indicator_cells, fact_attendance_cells, fact_contract_days,"
            " fact_attendance_years, fact_people, fact_housing, fact_duration_to_date, fact_duration_months,"
            " fact_duration_days, fact_duration_month_ranks, fact_region_cells, fact_region_attendance,"
            " fact_region_contracts"
        )
        # The seed's gigabytes written out now, as a running service's were long before: else the checkpoint that
        # follows the seed writes them while the answers are timed.
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()
