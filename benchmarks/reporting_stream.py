"""A programme's history as events, for the reporting benchmark: cohorts of 12 people taken through the path by
every service, most of the volume being attendance sheets and the consumption they post, as in production."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from hope_contracts import EventContract, employment, enrolment, funding, support, training

COHORT_SIZE = 12
SESSIONS = 100  # per cohort: step 3's and step 4's sheets
REGIONS = ("11", "84", "93", "75", "44", "32")
SECTORS = ("logistics", "construction", "hospitality_catering", "cleaning", "care")
COMMITTED = Decimal("6000.00")  # per person, for step 3's training hours


def _people_events(
    person: uuid.UUID, cohort: uuid.UUID, sector: str, office: uuid.UUID, t: datetime
) -> list[EventContract]:
    return [
        enrolment.BeneficiaryRegistered(
            beneficiary_id=person,
            track="group",
            protection_status="refugee",
            registered_by_org_id=office,
            occurred_at=t,
        ),
        enrolment.StepStarted(beneficiary_id=person, step=1, track="group", occurred_at=t + timedelta(days=1)),
        enrolment.PrerequisitesValidated(
            beneficiary_id=person,
            ofii_hours=Decimal("300.00"),
            a1_attested_on=(t + timedelta(days=60)).date(),
            test="TCF",
            occurred_at=t + timedelta(days=60),
        ),
        enrolment.StepCompleted(beneficiary_id=person, step=1, occurred_at=t + timedelta(days=60)),
        enrolment.StepStarted(beneficiary_id=person, step=2, track="group", occurred_at=t + timedelta(days=61)),
        enrolment.SectorChosen(beneficiary_id=person, sector_code=sector, occurred_at=t + timedelta(days=62)),
        enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=t + timedelta(days=63)),
        enrolment.StepCompleted(beneficiary_id=person, step=2, occurred_at=t + timedelta(days=70)),
        enrolment.StepStarted(
            beneficiary_id=person, step=3, track="group", cohort_id=cohort, occurred_at=t + timedelta(days=70)
        ),
    ]


def _money(
    person: uuid.UUID, cohort: uuid.UUID, funder: uuid.UUID, agreement: uuid.UUID, line: uuid.UUID, t: datetime
) -> funding.CommitmentMade:
    return funding.CommitmentMade(
        commitment_id=uuid.uuid4(),
        beneficiary_id=person,
        cohort_id=cohort,
        step=3,
        cost_type="training_hours",
        planned_quantity=Decimal(400),
        total_amount=COMMITTED,
        parts=(funding.FunderPart(funder_id=funder, agreement_id=agreement, budget_line_id=line, amount=COMMITTED),),
        occurred_at=t,
    )


def cohort_history(number: int, start: datetime) -> Iterator[EventContract]:
    """One cohort's events, in the order the services would publish them."""
    cohort, course, office = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    funder, agreement, line, supporter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sector = SECTORS[number % len(SECTORS)]
    people = [uuid.uuid4() for _ in range(COHORT_SIZE)]
    step3 = start + timedelta(days=70)
    yield enrolment.CohortCreated(
        cohort_id=cohort,
        sector_code=sector,
        region=REGIONS[number % len(REGIONS)],
        track="group",
        training_provider_org_id=uuid.uuid4(),
        support_provider_org_id=supporter,
        capacity=COHORT_SIZE,
        calendar=(enrolment.StepPeriod(step=3, starts_on=step3.date(), ends_on=(step3 + timedelta(days=90)).date()),),
        occurred_at=start,
    )
    yield training.CourseScheduled(
        course_id=course,
        step=3,
        cohort_id=cohort,
        provider_org_id=uuid.uuid4(),
        planned_hours=Decimal(400),
        starts_on=step3.date(),
        ends_on=(step3 + timedelta(days=90)).date(),
        occurred_at=start,
    )
    for person in people:
        yield from _people_events(person, cohort, sector, office, start)
        yield _money(person, cohort, funder, agreement, line, step3)
        yield support.SupportFileOpened(
            file_id=uuid.uuid4(), beneficiary_id=person, support_org_id=supporter, cohort_id=cohort, occurred_at=step3
        )
        need = uuid.uuid4()
        yield support.NeedOpened(
            need_id=need, file_id=need, beneficiary_id=person, category="administrative", occurred_at=step3
        )
        yield support.HousingAssigned(
            placement_id=uuid.uuid4(),
            beneficiary_id=person,
            residence_id=cohort,
            bed_id=uuid.uuid4(),
            starts_on=step3.date(),
            ends_on=(step3 + timedelta(days=180)).date(),
            occurred_at=step3,
        )
    # What is left of each person's commitment: funding draws each sheet's money from it first and says how much
    # (``from_commitment``); the rest is consumed beyond it.
    held = dict.fromkeys(people, COMMITTED)
    for session_number in range(SESSIONS):
        day = step3 + timedelta(days=session_number)
        session = uuid.uuid4()
        yield training.SessionsScheduled(
            course_id=course,
            step=3,
            cohort_id=cohort,
            sessions=(
                training.ScheduledSession(
                    session_id=session,
                    held_on=day.date(),
                    starts_at=time(9),
                    ends_at=time(16),
                    hours=Decimal(7),
                    session_kind="core",
                ),
            ),
            occurred_at=day - timedelta(days=7),
        )
        entries = tuple(
            training.AttendanceEntry(
                beneficiary_id=person,
                status="present" if (index + session_number) % 9 else "unexcused",
                hours_attended=Decimal(7) if (index + session_number) % 9 else Decimal(0),
            )
            for index, person in enumerate(people)
        )
        yield training.AttendanceRecorded(
            session_id=session,
            course_id=course,
            step=3,
            cohort_id=cohort,
            held_on=day.date(),
            session_hours=Decimal(7),
            session_kind="core",
            entries=entries,
            occurred_at=day + timedelta(hours=8),
        )
        consumed = []
        for entry in entries:
            if entry.hours_attended:
                amount = entry.hours_attended * 15
                drawn = min(amount, held[entry.beneficiary_id])
                held[entry.beneficiary_id] -= drawn
                consumed.append(
                    funding.ConsumptionEntry(
                        beneficiary_id=entry.beneficiary_id,
                        funder_id=funder,
                        agreement_id=agreement,
                        budget_line_id=line,
                        funded_hours=entry.hours_attended,
                        amount=amount,
                        from_commitment=drawn,
                    )
                )
        yield funding.ConsumptionRecorded(
            session_id=session,
            course_id=course,
            cohort_id=cohort,
            step=3,
            held_on=day.date(),
            source_event_id=uuid.uuid4(),
            entries=tuple(consumed),
            occurred_at=day + timedelta(hours=9),
        )
    end = step3 + timedelta(days=SESSIONS)
    for person in people:
        yield enrolment.StepCompleted(beneficiary_id=person, step=3, occurred_at=end)
        yield employment.OutcomeRecorded(
            beneficiary_id=person,
            outcome_code="cdi",
            exit_on=end.date(),
            evidence_source="contract_copy",
            counts_as_employed=True,
            occurred_at=end,
        )
        yield employment.FollowUpRecorded(
            follow_up_id=uuid.uuid4(),
            beneficiary_id=person,
            months_after_exit=3,
            due_on=(end + timedelta(days=90)).date(),
            status="unreachable",
            attempts=3,
            occurred_at=end + timedelta(days=92),
        )


def history(events: int) -> Iterator[EventContract]:
    """At least ``events`` events: whole cohorts, started a week apart, cut at ``events``."""
    produced = 0
    number = 0
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    while produced < events:
        for event in cohort_history(number, start + timedelta(days=7 * number)):
            yield event
            produced += 1
            if produced >= events:
                return
        number += 1
