"""Events of every service make the read models, on SQLite and PostgreSQL; twice, or in another order, they
make the same ones."""

from __future__ import annotations

import itertools
import random
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hope_contracts import EventContract, enrolment, funding
from hope_infra.testing import received
from hopekit.events.subscriptions import process
from hopekit.uow import Database
from reporting_service.adapters import completeness, versions
from reporting_service.adapters.tables import (
    fact_attendance_months,
    fact_attendance_person_months,
    fact_claims,
    fact_cohorts,
    fact_consents,
    fact_contracts,
    fact_erasures,
    fact_follow_ups,
    fact_immersions,
    fact_meals,
    fact_money,
    fact_needs,
    fact_people,
    fact_person_steps,
    fact_referrals,
)
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS

from .conftest import deliver
from .scenario import Cohort, at
from .support import FACT_TABLES, facts_of

pytestmark = pytest.mark.integration


async def _deliver_all(database: Database, events: list[EventContract]) -> None:
    for event in events:
        await deliver(database, received(event))


async def _into_version(database: Database, version: int, events: list[EventContract]) -> None:
    """Each event applied to one version only, as a rebuild does (under the rebuild's own consumer names)."""
    handlers = {event_type: handler for spec in CONSUMERS for event_type, handler in spec.handlers.items()}
    for event in events:
        await process(
            f"test-v{version}",
            ReportingUnitOfWork(database, pinned=version),
            handlers[event.event_type],
            received(event),
        )


HOURS = ("hours_recorded", "hours_attended", "hours_excused", "hours_unexcused", "sessions_recorded")


async def _person_months(database: Database) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    m = fact_attendance_person_months.c
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(m.beneficiary_id, m.month, *(m[name] for name in HOURS)).where(m.version == 1)
        )
        return {(row[0], row[1]): tuple(row[2:]) for row in rows}


async def _steps_months_added_up(database: Database) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    m = fact_attendance_months.c
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(m.beneficiary_id, m.month, *(func.sum(m[name]) for name in HOURS))
            .where(m.version == 1)
            .group_by(m.beneficiary_id, m.month)
        )
        return {(row[0], row[1]): tuple(row[2:]) for row in rows}


async def _one(database: Database, table: Any, **key: Any) -> Any:
    async with database.engine.connect() as connection:
        query = select(table).where(table.c.version == 1, *(table.c[name] == value for name, value in key.items()))
        return (await connection.execute(query)).one()


async def test_events_from_every_service_make_each_person_s_facts(database: Database) -> None:
    cohort = Cohort()
    await _deliver_all(database, cohort.events())

    finisher = await _one(database, fact_people, beneficiary_id=cohort.finisher)
    assert (finisher.status, finisher.cohort_id, finisher.sector_code, finisher.track) == (
        "completed", cohort.cohort_id, "logistics", "group",
    )  # fmt: skip
    assert (finisher.a1_attested_on, finisher.ofii_hours) == (date(2026, 2, 20), Decimal("312.50"))
    assert (finisher.language_level, finisher.qualification_result) == ("B1", "awarded")
    assert (finisher.exit_outcome, finisher.exit_counts_as_employed) == ("cdi", True)
    assert finisher.support_org_id == cohort.supporter
    leaver = await _one(database, fact_people, beneficiary_id=cohort.leaver)
    assert (leaver.status, leaver.withdrawal_reason, leaver.withdrawn_last_step) == ("withdrawn", "moved_away", 3)

    step3 = await _one(database, fact_person_steps, beneficiary_id=cohort.finisher, step=3)
    assert (step3.started_at, step3.completed_at) == (at(14), at(110))
    assert (step3.hours_recorded, step3.hours_attended, step3.hours_excused) == (Decimal(14), Decimal(7), Decimal(7))
    # The corrected sheet replaced the first: the leaver's 3.5 hours went back, 7 unexcused hours came.
    leaver_step3 = await _one(database, fact_person_steps, beneficiary_id=cohort.leaver, step=3)
    assert (leaver_step3.hours_attended, leaver_step3.hours_unexcused, leaver_step3.sessions_recorded) == (
        Decimal(0), Decimal(7), 1,
    )  # fmt: skip
    april = await _one(database, fact_attendance_months, beneficiary_id=cohort.finisher, step=3, month=date(2026, 4, 1))
    assert (april.hours_recorded, april.hours_excused) == (Decimal(7), Decimal(7))
    # Each person's months over the steps are the steps' months added up.
    assert await _person_months(database) == await _steps_months_added_up(database)

    cohort_row = await _one(database, fact_cohorts, cohort_id=cohort.cohort_id)
    assert (cohort_row.region, cohort_row.step3_ends_on, cohort_row.step4_starts_on) == (
        "84",
        date(2026, 6, 19),
        date(2026, 6, 29),
    )

    money = await _one(database, fact_money, beneficiary_id=cohort.finisher, agreement_id=cohort.agreement)
    assert (money.committed, money.consumed, money.claimed, money.approved, money.paid) == (
        Decimal("5000.00"), Decimal("87.50"), Decimal("87.50"), Decimal("80.00"), Decimal("80.00"),
    )  # fmt: skip
    leaver_money = await _one(database, fact_money, beneficiary_id=cohort.leaver, agreement_id=cohort.agreement)
    assert (leaver_money.committed, leaver_money.released, leaver_money.consumed) == (
        Decimal("5000.00"), Decimal("5000.00"), Decimal("0.00"),
    )  # fmt: skip
    claim = await _one(database, fact_claims, claim_id=cohort.claim)
    assert (claim.status, claim.claimed_amount, claim.approved_amount, claim.paid_amount) == (
        "paid", Decimal("87.50"), Decimal("80.00"), Decimal("80.00"),
    )  # fmt: skip

    contract = await _one(database, fact_contracts, beneficiary_id=cohort.leaver)
    assert (contract.contract_type, contract.started_on, contract.end_status, contract.during_trial) == (
        "professionalisation", date(2026, 7, 1), "broken", True,
    )  # fmt: skip
    meals = await _one(database, fact_meals, beneficiary_id=cohort.finisher, month=date(2026, 4, 1))
    assert meals.lunches == 22, "the later entitlement of the month"
    consent = await _one(database, fact_consents, beneficiary_id=cohort.finisher, purpose="employer_contact")
    assert consent.given is False
    assert (await _one(database, fact_immersions, beneficiary_id=cohort.finisher)).hours == Decimal(70)
    assert (await _one(database, fact_referrals, beneficiary_id=cohort.finisher)).partner == "caf"

    six_months = await _one(database, fact_follow_ups, beneficiary_id=cohort.finisher, months_after_exit=6)
    assert (six_months.status, six_months.counts_as_employed) == ("unreachable", None)
    async with database.engine.connect() as connection:
        needs = (await connection.execute(select(fact_needs.c.category, fact_needs.c.outcome))).all()
        assert sorted(needs, key=repr) == sorted([("administrative", "resolved"), ("housing", None)], key=repr)
        marks = await completeness.topic_marks(connection)
        assert set(marks) == {
            f"hope.{name}.events" for name in ("enrolment", "training", "support", "funding", "employment")
        }
        assert await completeness.complete_up_to(connection) == min(marks.values())


async def test_support_costs_are_money_consumed_once_per_support_event_in_any_order(database: Database) -> None:
    cohort = Cohort()
    events = cohort.events()
    costs = [event for event in events if isinstance(event, funding.SupportCostRecorded)]
    assert len(costs) == 4
    # The placement's release before the placement, the costs before the agreement and the people, then each
    # cost again under a new event id (the inbox cannot tell: the support event they answer can).
    others = [event for event in events if event not in costs]
    await _deliver_all(database, [*reversed(costs), *others])
    for event in costs:
        assert await deliver(database, received(event, event_id=None))

    finisher = await _one(database, fact_money, beneficiary_id=cohort.finisher, agreement_id=cohort.support_agreement)
    # Housing 425.00 + 750.00 (two months on one line) - 250.00 (released early), a support person-month 120.00.
    assert (finisher.funder_id, finisher.committed, finisher.consumed) == (
        cohort.region_funder, Decimal("0.00"), Decimal("1045.00"),
    )  # fmt: skip
    # No commitment pays support costs: all of them are engaged beyond one, as funding's ledger counts them.
    assert finisher.beyond_commitment == Decimal("1045.00")
    leaver = await _one(database, fact_money, beneficiary_id=cohort.leaver, agreement_id=cohort.support_agreement)
    assert (leaver.consumed, leaver.beyond_commitment) == (Decimal("66.00"), Decimal("66.00"))
    training = await _one(database, fact_money, beneficiary_id=cohort.finisher, agreement_id=cohort.agreement)
    assert training.consumed == Decimal("87.50"), "the training hours' agreement is not touched"


async def test_the_same_events_twice_and_in_any_order_make_the_same_facts(database: Database) -> None:
    events = Cohort().events()
    await _deliver_all(database, events)
    async with database.engine.begin() as connection:
        other = await versions.start_building(connection)
    shuffled = [*events, *random.Random(17).sample(events, k=len(events) // 2)]
    random.Random(42).shuffle(shuffled)
    await _into_version(database, other, shuffled)
    assert await facts_of(database, other, rebuilt=True) == await facts_of(database, 1)


async def test_an_event_delivered_twice_is_applied_once(database: Database) -> None:
    cohort = Cohort()
    events = cohort.events()
    await _deliver_all(database, events)
    before = await facts_of(database, 1)
    for event in events:
        again = received(event, event_id=None)
        assert await deliver(database, again)  # a new id: the inbox cannot tell, the facts must
    assert await facts_of(database, 1) == before


async def test_an_erased_person_keeps_their_counts_under_a_pseudonym_and_gets_no_new_rows(database: Database) -> None:
    cohort = Cohort()
    await _deliver_all(database, cohort.events())
    erased = enrolment.BeneficiaryErased(beneficiary_id=cohort.leaver, occurred_at=at(500))
    await deliver(database, received(erased))
    await deliver(
        database,
        received(enrolment.SectorChosen(beneficiary_id=cohort.leaver, sector_code="care", occurred_at=at(501))),
    )
    async with database.engine.connect() as connection:
        people = (await connection.execute(select(fact_people.c.beneficiary_id, fact_people.c.status))).all()
    assert cohort.leaver not in {row.beneficiary_id for row in people}
    assert sorted(row.status for row in people) == ["completed", "withdrawn"]
    for table in FACT_TABLES:
        if "beneficiary_id" in table.c and table.name != "fact_erasures":
            async with database.engine.connect() as connection:
                found = await connection.scalar(
                    select(table.c.beneficiary_id).where(table.c.beneficiary_id == cohort.leaver)
                )
            assert found is None, table.name
    async with database.engine.connect() as connection:
        refused = await connection.scalar(
            select(fact_erasures.c.erased_at).where(fact_erasures.c.beneficiary_id == cohort.leaver)
        )
    assert refused == at(500)  # the pseudonym alone is kept, to refuse its later events


def _finisher_sheet(cohort: Cohort, amount: str, day: float, drawn: str | None = None) -> funding.ConsumptionRecorded:
    """The finisher's money for one sheet on the cohort's line; ``drawn``: what funding says it drew from the
    commitment (None: an older publisher's event, which does not say)."""
    entry = funding.ConsumptionEntry(
        beneficiary_id=cohort.finisher,
        funder_id=cohort.funder,
        agreement_id=cohort.agreement,
        budget_line_id=cohort.line,
        funded_hours=Decimal(7),
        amount=Decimal(amount),
        from_commitment=None if drawn is None else Decimal(drawn),
    )
    return funding.ConsumptionRecorded(
        session_id=uuid.uuid4(),
        course_id=cohort.course,
        step=3,
        held_on=date(2026, 3, 16),
        source_event_id=uuid.uuid4(),
        entries=(entry,),
        occurred_at=at(day),
    )


def _finisher_commitment(cohort: Cohort, amount: str, day: float) -> funding.CommitmentMade:
    line = {"funder_id": cohort.funder, "agreement_id": cohort.agreement, "budget_line_id": cohort.line}
    return funding.CommitmentMade(
        commitment_id=uuid.uuid4(),
        beneficiary_id=cohort.finisher,
        step=3,
        cost_type="training_hours",
        planned_quantity=Decimal(8),
        total_amount=Decimal(amount),
        parts=(funding.FunderPart(amount=Decimal(amount), **line),),
        occurred_at=at(day),
    )


def _beyond_a_commitment(cohort: Cohort) -> list[EventContract]:
    """One person: 100.00 committed on a line, then sheets of 87.50 and 43.75 and a correction of -10.00 (funding
    draws 100.00 from the commitment, 31.25 from the line, then gives the 10.00 back to the line)."""
    sheets = [_finisher_sheet(cohort, amount, day) for amount, day in (("87.50", 2), ("43.75", 3), ("-10.00", 4))]
    return [_finisher_commitment(cohort, "100.00", 1), *sheets]


async def test_money_consumed_beyond_a_commitment_is_engaged_whatever_the_order_of_delivery(database: Database) -> None:
    cohort = Cohort()
    events = _beyond_a_commitment(cohort)
    await _deliver_all(database, [*reversed(events), events[1]])
    money = await _one(database, fact_money, beneficiary_id=cohort.finisher, agreement_id=cohort.agreement)
    # Funding's committed: 0.00 still committed + 121.25 consumed = 100.00 made - 0 released + 21.25 beyond.
    assert (money.committed, money.consumed, money.beyond_commitment) == (
        Decimal("100.00"), Decimal("121.25"), Decimal("21.25"),
    )  # fmt: skip


def _correction_after_a_later_commitment(cohort: Cohort, *, said: bool) -> list[EventContract]:
    """One person: a sheet of 300.00 before the step's commitment (funding draws it from the line), 700.00
    committed, then a correction of -100.00 that funding gives back to the commitment (its planned part counted
    the 300.00). ``said``: the entries carry ``from_commitment`` (0.00, then -100.00), as funding's events now do."""
    return [
        _finisher_sheet(cohort, "300.00", 1, "0.00" if said else None),
        _finisher_commitment(cohort, "700.00", 2),
        _finisher_sheet(cohort, "-100.00", 3, "-100.00" if said else None),
    ]


async def _money_of(database: Database, cohort: Cohort, version: int = 1) -> tuple[Decimal, ...]:
    m = fact_money.c
    async with database.engine.connect() as connection:
        row = (
            await connection.execute(
                select(m.committed, m.consumed, m.beyond_commitment).where(
                    m.version == version, m.beneficiary_id == cohort.finisher, m.agreement_id == cohort.agreement
                )
            )
        ).one()
    return tuple(row)


async def test_what_funding_says_was_drawn_from_the_commitment_is_taken_as_it_is_in_any_order(
    database: Database,
) -> None:
    cohort = Cohort()
    events = _correction_after_a_later_commitment(cohort, said=True)
    await _deliver_all(database, events)
    # 300.00 consumed from the line, 700.00 committed, 100.00 given back to the commitment: funding's committed
    # view shows 800.00 still committed + 200.00 consumed = 700.00 made - 0 released + 300.00 beyond.
    assert await _money_of(database, cohort) == (Decimal("700.00"), Decimal("200.00"), Decimal("300.00"))
    # Every other order, each event twice (new event ids), into versions of their own: the same figures.
    for number, order in enumerate(itertools.permutations(events)):
        async with database.engine.begin() as connection:
            other = await versions.start_building(connection)
        await _into_version(database, other, [*order, *random.Random(number).sample(events, k=len(events))])
        assert await _money_of(database, cohort, other) == await _money_of(database, cohort), order


async def test_older_events_that_do_not_say_where_money_was_drawn_from_are_replayed_as_before(
    database: Database,
) -> None:
    cohort = Cohort()
    events = _correction_after_a_later_commitment(cohort, said=False)
    await _deliver_all(database, [*reversed(events), events[0]])
    # The replay gives the correction back to the line (it cannot know): 200.00 beyond, where funding has 300.00
    # (the case the events' ``from_commitment`` is for).
    assert await _money_of(database, cohort) == (Decimal("700.00"), Decimal("200.00"), Decimal("200.00"))
