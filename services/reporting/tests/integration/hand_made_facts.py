"""Hand-made people written straight into the fact tables (the consumers' work is tested elsewhere), and the
same people as the domain's ``PersonFacts``, so that the SQL can be held to the rules written in Python."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert

from hopekit.uow import Database
from reporting_service.adapters.levels import level_update
from reporting_service.adapters.summaries import summarise
from reporting_service.adapters.tables import (
    fact_attendance_months,
    fact_attendance_person_months,
    fact_cohorts,
    fact_contracts,
    fact_follow_ups,
    fact_housing,
    fact_language_assessments,
    fact_money,
    fact_people,
    fact_person_steps,
    read_model_positions,
)
from reporting_service.adapters.tables_scoping import funder_organisations
from reporting_service.domain.indicators.facts import (
    AttendanceMonth,
    FollowUp,
    HousingPlacement,
    Money,
    PersonFacts,
    WorkStudyContract,
)

COMPLETE_UP_TO = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
AS_OF = COMPLETE_UP_TO.date()
OUTCOMES = ["cdi", "cdd_6m_plus", "interim", "work_study", "cdd_short", "training", "job_search", None]


@dataclass
class Cohort:
    region: str
    trainer: uuid.UUID = field(default_factory=uuid.uuid4)
    supporter: uuid.UUID = field(default_factory=uuid.uuid4)
    cohort_id: uuid.UUID = field(default_factory=uuid.uuid4)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def second_agreement(funder: uuid.UUID, chance: random.Random) -> list[Money]:
    return [Money(funder, uuid.uuid4(), Decimal("500.00"), Decimal("120.40"))] if chance.random() < 0.33 else []


def people_of(cohort: Cohort, count: int, funder: uuid.UUID, chance: random.Random) -> list[PersonFacts]:
    found = []
    for _ in range(count):
        registered = date(2023, 1, 2) + timedelta(days=chance.randrange(900))
        started = {1: registered + timedelta(days=10)}
        completed: dict[int, date] = {}
        for step in (1, 2, 3, 4):
            if step not in started or chance.random() < 0.15:
                break
            completed[step] = started[step] + timedelta(days=chance.randrange(20, 200))
            if step < 4:
                started[step + 1] = completed[step] + timedelta(days=1)
        last = max(completed.values(), default=started[1])
        fate = chance.choice(["withdrawn", "completed", "on_path"])
        withdrawn = last + timedelta(days=3) if fate == "withdrawn" else None
        done = last + timedelta(days=3) if fate == "completed" and 4 in completed else None
        status = "withdrawn" if withdrawn else "completed" if done else "french_qualification"
        follow_ups = {m: FollowUp(chance.choice(["done", "unreachable"]), chance.choice(OUTCOMES[:7])) for m in (3, 6)}
        found.append(
            PersonFacts(
                uuid.uuid4(),
                {
                    "region": cohort.region,
                    "cohort": str(cohort.cohort_id),
                    "provider": str(cohort.trainer),
                    "track": "group",
                    "sector": "logistics",
                },
                registered_on=registered,
                status=status,
                withdrawn_on=withdrawn,
                withdrawal_reason=chance.choice(["employment_found", "moved_away", "personal"]) if withdrawn else None,
                completed_on=done,
                step_started=started,
                step_completed=completed,
                level_after_step3=chance.choice(["A1", "A2", "B1", "B2", None]) if 3 in completed else None,
                qualification_result=chance.choice(["awarded", "partially_awarded", "failed"])
                if 4 in completed
                else None,
                qualification_on=completed.get(4),
                exit_outcome=chance.choice(OUTCOMES) if (withdrawn or done) else None,
                follow_ups=follow_ups if (withdrawn or done) else {},
                attendance={
                    started[1].replace(day=1): AttendanceMonth(Decimal("70.00"), Decimal(chance.randrange(30, 71)))
                },
                money=(
                    Money(
                        funder,
                        uuid.uuid4(),
                        Decimal("4000.00"),
                        Decimal(chance.randrange(0, 4000)),
                        Decimal("1000.50"),
                        Decimal("800.25"),
                    ),
                    # A third of the people are financed on a second agreement: counted once all the same.
                    *second_agreement(funder, chance),
                ),
            )
        )
    return found


CONTRACT_TYPES = ["apprenticeship", "professionalisation", "cdpi", "cddi", "other"]


def with_later_facts(person: PersonFacts, chance: random.Random) -> PersonFacts:
    """Placements around the day the figures are complete to (covering it, ended, released before it, starting
    after it, or none), work-study contracts (none, one or two) and more months of attendance: drawn from their
    own stream, so the other facts stay those the earlier tests were written on."""
    night = AS_OF
    placements = {
        "covering": HousingPlacement(night - timedelta(days=40), night + timedelta(days=60)),
        "ends_that_day": HousingPlacement(night - timedelta(days=40), night),
        "released_before": HousingPlacement(night - timedelta(days=40), night + timedelta(days=60), night),
        "starts_after": HousingPlacement(night + timedelta(days=1), night + timedelta(days=90)),
    }
    housing = [placements[name] for name in sorted(placements) if chance.random() < 0.5]
    contracts = [
        WorkStudyContract(chance.choice(CONTRACT_TYPES), person.registered_on + timedelta(days=chance.randrange(300)))
        for _ in range(chance.choice([0, 0, 1, 1, 2]))
        if person.registered_on is not None
    ]
    # Further months of attendance for some (one with no hours recorded): a person counted once over several.
    months = dict(person.attendance)
    first = min(months)
    for later in range(chance.choice([0, 0, 1, 3])):
        month = (first + timedelta(days=32 * (later + 1))).replace(day=1)
        recorded = Decimal(0) if later == 2 else Decimal("35.00")
        months[month] = AttendanceMonth(recorded, min(recorded, Decimal(chance.randrange(0, 40))))
    return replace(person, housing=tuple(housing), contracts=tuple(contracts), attendance=months)


async def write(database: Database, cohorts: list[Cohort], people: list[PersonFacts]) -> None:
    """The people as fact rows of version 1 (the active one), and a completeness mark."""
    by_id = {str(c.cohort_id): c for c in cohorts}
    rows: dict[Any, list[dict[str, Any]]] = {
        fact_cohorts: [
            {
                "version": 1,
                "cohort_id": c.cohort_id,
                "region": c.region,
                "sector_code": "logistics",
                "track": "group",
                "training_provider_org_id": c.trainer,
                "support_provider_org_id": c.supporter,
            }
            for c in cohorts
        ],
        fact_people: [],
        fact_person_steps: [],
        fact_language_assessments: [],
        fact_follow_ups: [],
        fact_attendance_months: [],
        fact_attendance_person_months: [],
        fact_money: [],
        fact_housing: [],
        fact_contracts: [],
        read_model_positions: [
            {
                "version": 1,
                "topic": "hope.enrolment.events",
                "partition": 0,
                "complete_up_to": COMPLETE_UP_TO,
                "last_offset": 1,
            }
        ],
    }
    for person in people:
        key = {"version": 1, "beneficiary_id": person.beneficiary_id}
        cohort = by_id[str(person.dimensions["cohort"])]
        rows[fact_people].append(
            {
                **key,
                "cohort_id": cohort.cohort_id,
                "track": "group",
                "status": person.status,
                "registered_at": _noon(person.registered_on) if person.registered_on else None,
                "withdrawn_at": _noon(person.withdrawn_on) if person.withdrawn_on else None,
                "withdrawal_reason": person.withdrawal_reason,
                "completed_at": _noon(person.completed_on) if person.completed_on else None,
                "qualification_result": person.qualification_result,
                "qualification_awarded_on": person.qualification_on,
                "exit_outcome": person.exit_outcome,
                "sector_code": "logistics",
                "support_org_id": cohort.supporter,
            }
        )
        for step, started in person.step_started.items():
            ended = person.step_completed.get(step)
            rows[fact_person_steps].append(
                {**key, "step": step, "started_at": _noon(started), "completed_at": _noon(ended) if ended else None}
            )
        if person.level_after_step3:
            ended = person.step_completed[3]
            recorded = _noon(ended)
            for level, on, at in (
                ("A1", ended - timedelta(days=30), recorded - timedelta(days=30)),
                (person.level_after_step3, ended, recorded),
                # Assessed the same day but recorded earlier (a path played in one day): not the level.
                ("A1", ended, recorded - timedelta(hours=2)),
                ("C2", ended + timedelta(days=1), recorded + timedelta(days=1)),
            ):  # a later test does not count
                rows[fact_language_assessments].append(
                    {
                        "version": 1,
                        "assessment_id": uuid.uuid4(),
                        "beneficiary_id": person.beneficiary_id,
                        "skill": "overall",
                        "level": level,
                        "test": "TCF",
                        "assessed_on": on,
                        "recorded_at": at,
                    }
                )
        for months, follow_up in person.follow_ups.items():
            rows[fact_follow_ups].append(
                {
                    **key,
                    "months_after_exit": months,
                    "follow_up_id": uuid.uuid4(),
                    "due_on": AS_OF,
                    "status": follow_up.status,
                    "attempts": 1,
                    "recorded_at": COMPLETE_UP_TO,
                    "outcome_code": follow_up.outcome_code if follow_up.status == "done" else None,
                }
            )
        for month, hours in person.attendance.items():
            totals = {"month": month, "hours_recorded": hours.recorded, "hours_attended": hours.attended}
            rows[fact_attendance_months].append({**key, "step": 1, **totals})
            rows[fact_attendance_person_months].append({**key, **totals})
        for money in person.money:
            rows[fact_money].append(
                {
                    **key,
                    "agreement_id": money.agreement_id,
                    "funder_id": money.funder_id,
                    "committed": money.committed,
                    "consumed": money.consumed,
                    "claimed": money.claimed,
                    "paid": money.paid,
                    "released": Decimal(0),
                    "approved": Decimal(0),
                }
            )
        for placement in person.housing:
            rows[fact_housing].append(
                {
                    "version": 1,
                    "placement_id": uuid.uuid4(),
                    "beneficiary_id": person.beneficiary_id,
                    "starts_on": placement.starts_on,
                    "ends_on": placement.ends_on,
                    "released_on": placement.released_on,
                }
            )
        for contract in person.contracts:
            rows[fact_contracts].append(
                {
                    "version": 1,
                    "contract_id": uuid.uuid4(),
                    "beneficiary_id": person.beneficiary_id,
                    "contract_type": contract.contract_type,
                    "signed_at": _noon(contract.signed_on),
                }
            )
    async with database.engine.begin() as connection:
        for table, values in rows.items():
            if values:
                await connection.execute(insert(table), values)
        # The level at the end of step 3, as the ingest keeps it: from the assessments written above.
        await connection.execute(level_update(connection.dialect.name == "postgresql"))
        # The indicators' summaries, as the ingest keeps them.
        await summarise(connection, 1)


async def link_funder(database: Database, funder_id: uuid.UUID, org_id: uuid.UUID) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(
            insert(funder_organisations).values(funder_id=funder_id, org_id=org_id, linked_at=COMPLETE_UP_TO)
        )


class Programme:
    def __init__(self) -> None:
        chance = random.Random(17)  # reproducible hand-made facts
        self.funder, self.other_funder = uuid.uuid4(), uuid.uuid4()
        self.cohorts = [Cohort("84"), Cohort("84"), Cohort("11"), Cohort("93")]
        sizes = [30, 14, 3, 9]
        self.people: list[PersonFacts] = []
        for cohort, size in zip(self.cohorts, sizes, strict=True):
            funder = self.other_funder if cohort.region == "93" else self.funder
            self.people += people_of(cohort, size, funder, chance)
        work_and_housing = random.Random(23)
        self.people = [with_later_facts(person, work_and_housing) for person in self.people]


@pytest.fixture(name="programme")
async def programme_fixture(database: Database) -> Programme:
    made = Programme()
    await write(database, made.cohorts, made.people)
    return made
