"""Consumption from training's attendance sheets: the ledger holds per (person, session, line) what the latest
sheet says. A sheet is resent whole when corrected: only the difference is posted (a duplicate posts nothing),
as one transaction per sheet and plan, published as one ``consumption-recorded``."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.consumption import ConsumptionDelta, SessionMark, apply_sheet
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger, Transaction
from funding_service.domain.money import ZERO
from funding_service.domain.movements import PersonLine
from funding_service.domain.vocabulary import AttendanceStatus, CostType, Stage, TransactionKind
from funding_service.service_layer.ledger_writes import post, post_each
from hope_contracts import training
from hope_contracts.funding import ConsumptionEntry, ConsumptionRecorded
from hopekit.events.context import current_event

log = logging.getLogger(__name__)


async def on_attendance_recorded(uow: FundingUnitOfWork, event: training.AttendanceRecorded) -> None:
    if event.step not in movements.DEFAULT_STEP_HOURS:
        return  # steps 1 and 2 are not paid from these agreements
    marks = {
        entry.beneficiary_id: SessionMark(
            event.session_id, event.held_on, AttendanceStatus(entry.status), entry.hours_attended, event.session_hours
        )
        for entry in event.entries
    }
    planned_hours = movements.DEFAULT_STEP_HOURS[event.step]
    # The session's rows of everyone on the sheet or on an earlier version of it, in one read.
    on_session = await uow.consumption.load_session(event.course_id, event.session_id, marks, planned_hours)
    everyone = set(on_session)
    # People are grouped by the plan that pays their hours: the cohort's, or an individual path's own.
    by_plan: dict[UUID, tuple[FinancingPlan, set[UUID]]] = {}
    unplanned: set[UUID] = set()
    cost = CostType.TRAINING_HOURS.value
    own = await uow.reference.own_plans(everyone, cost, event.step)
    of_cohort: dict[UUID | None, FinancingPlan | None] = {None: None}
    for person in sorted(everyone):
        plan = own.get(person)
        if plan is None:
            cohort_id = event.cohort_id or await uow.projection.cohort_of(person)
            if cohort_id not in of_cohort:
                of_cohort[cohort_id] = await uow.reference.cohort_plan(cost, event.step, cohort_id)
            plan = of_cohort[cohort_id]
        if plan is None:
            unplanned.add(person)
        else:
            by_plan.setdefault(plan.plan_id, (plan, set()))[1].add(person)
    now = datetime.now(UTC)
    entries: list[ConsumptionEntry] = []
    for plan, people in by_plan.values():
        lines = await uow.reference.lines(set(plan.shares))
        policies = {line_id: line.attendance for line_id, line in lines.items()}
        # Most sheets need only their own session's rows; a change of excused hours on a line that funds them
        # moves the shared allowance, so those people are loaded whole.
        loaded = {person: on_session[person] for person in people}
        whole = {p for p, hours in loaded.items() if hours.needs_every_mark(event.session_id, marks.get(p), policies)}
        if whole:
            loaded |= await uow.consumption.load(event.course_id, whole, planned_hours)
        deltas = apply_sheet(event.session_id, {p: m for p, m in marks.items() if p in people}, loaded, plan, policies)
        if deltas:
            # Only what is given back needs the commitment's reservation (most sheets give nothing back).
            giving_back = {person for (person, _), amount in movements.net_changes(deltas).items() if amount < 0}
            reserved = await _reserved(uow, plan, event.step, giving_back)
            try:
                transaction = await _post(uow, deltas, now, event.session_id, reserved)
            except LimitExceeded:
                transaction, unfunded = await _post_each_person(uow, deltas, now, event.session_id, reserved)
                deltas = [delta for delta in deltas if delta.beneficiary_id not in unfunded]
                # Their marks are kept and their posted amounts stay what the ledger holds, so a later
                # version of this sheet posts what they are owed once it fits. A shortage is not an error.
                for person in sorted(unfunded):
                    session_only = None if person in whole else event.session_id
                    fresh = await uow.consumption.load(event.course_id, [person], planned_hours, session_only)
                    restored = fresh[person]
                    restored.marks.pop(event.session_id, None)
                    if (mark := marks.get(person)) is not None:
                        restored.marks[event.session_id] = mark
                    loaded[person] = restored
                log.warning(
                    "a step %s sheet: %d people's hours exceed what their lines have", event.step, len(unfunded)
                )
            entries += await _entries(uow, deltas, transaction)
        for group in ([h for p, h in loaded.items() if p not in whole], [loaded[p] for p in sorted(whole)]):
            if group:
                await uow.consumption.keep(event.course_id, event.step, event.session_id, event.held_on, group)
    if unplanned:
        # Kept so that a plan made later can price them; no money moves without a plan.
        waiting = {person: on_session[person] for person in unplanned}
        for hours in waiting.values():
            mark = marks.get(hours.beneficiary_id)
            hours.marks.pop(event.session_id, None)
            if mark is not None:
                hours.marks[event.session_id] = mark
        await uow.consumption.keep(event.course_id, event.step, event.session_id, event.held_on, waiting.values())
        log.info("%d people on a step %s sheet have no financing plan", len(unplanned), event.step)
    if entries:
        received = current_event.get()
        uow.publish(
            ConsumptionRecorded(
                session_id=event.session_id,
                course_id=event.course_id,
                cohort_id=event.cohort_id,
                step=event.step,
                held_on=event.held_on,
                source_event_id=UUID(received.id) if received is not None else event.session_id,
                entries=tuple(entries),
                occurred_at=now,
            )
        )
        uow.audit_event("consume", "session", event.session_id)


async def _reserved(
    uow: FundingUnitOfWork, plan: FinancingPlan, step: int, people: set[UUID]
) -> dict[PersonLine, Decimal]:
    """Per (person, line): what their step commitment stands for less what the step consumed before this sheet
    (``movements.sheet_consumption`` gives back to the commitment only what was drawn from it)."""
    planned = await uow.courses.step_commitments(people, step, plan.plan_id)
    consumed = await uow.consumption.step_consumed(people, step, plan.shares)
    reserved: dict[PersonLine, Decimal] = {}
    for person in people:
        parts = plan.parts_for(planned[person]) if person in planned else {}
        for line_id in plan.shares:
            reserved[(person, line_id)] = parts.get(line_id, ZERO) - consumed.get((person, line_id), ZERO)
    return reserved


async def _post(
    uow: FundingUnitOfWork,
    deltas: list[ConsumptionDelta],
    now: datetime,
    session_id: UUID,
    reserved: dict[PersonLine, Decimal],
) -> Transaction | None:
    return await post(
        uow,
        consumption_accounts(deltas),
        lambda ledger: movements.sheet_consumption(ledger, deltas, now, session_id, reserved),
    )


def consumption_accounts(deltas: list[ConsumptionDelta]) -> set[AccountKey]:
    """Per (person, line) of the deltas: the person's ``committed`` and ``consumed``, and the line's ``available``."""
    keys: set[AccountKey] = set()
    for person, line_id in {(delta.beneficiary_id, delta.budget_line_id) for delta in deltas}:
        keys.add(AccountKey.person(line_id, Stage.COMMITTED, person))
        keys.add(AccountKey.person(line_id, Stage.CONSUMED, person))
    keys.update(AccountKey.line(line_id, Stage.AVAILABLE) for line_id in {delta.budget_line_id for delta in deltas})
    return keys


async def _post_each_person(
    uow: FundingUnitOfWork,
    deltas: list[ConsumptionDelta],
    now: datetime,
    session_id: UUID,
    reserved: dict[PersonLine, Decimal],
) -> tuple[Transaction | None, set[UUID]]:
    """The sheet's differences person by person: those that fit are posted together, the others left out."""
    people: dict[UUID, list[ConsumptionDelta]] = {}
    for delta in deltas:
        people.setdefault(delta.beneficiary_id, []).append(delta)
    order = sorted(people)
    builds = [partial(_person_consumption, people[person], now, session_id, reserved) for person in order]
    transaction, refused = await post_each(
        uow, consumption_accounts(deltas), builds, TransactionKind.CONSUMPTION, now, session_id
    )
    return transaction, {order[index] for index in refused}


def _person_consumption(
    deltas: list[ConsumptionDelta], now: datetime, session_id: UUID, reserved: dict[PersonLine, Decimal], ledger: Ledger
) -> Transaction | None:
    return movements.sheet_consumption(ledger, deltas, now, session_id, reserved)


async def _entries(
    uow: FundingUnitOfWork, deltas: list[ConsumptionDelta], transaction: Transaction | None
) -> list[ConsumptionEntry]:
    """Per person and line, what the sheet moved into ``consumed``, the part of it drawn from the person's commitment
    and the funded hours now paid for."""
    if transaction is None:
        return []
    owners = await uow.ledger.owners({delta.budget_line_id for delta in deltas})
    amounts: dict[tuple[UUID, UUID], Decimal] = {}
    for posting in transaction.postings:
        person = posting.account.beneficiary_id
        if posting.account.stage is Stage.CONSUMED and person is not None:
            key = (person, posting.account.budget_line_id)
            amounts[key] = amounts.get(key, ZERO) + posting.effect
    hours: dict[tuple[UUID, UUID], Decimal] = {}
    for delta in deltas:
        # A person's funded hours on the line for this session, as the sheet now says.
        if delta.reference_id == transaction.reference_id:
            hours[(delta.beneficiary_id, delta.budget_line_id)] = delta.quantity
    drawn = movements.drawn_from_commitments(transaction)
    return [
        ConsumptionEntry(
            beneficiary_id=person,
            funder_id=owners[line][1],
            agreement_id=owners[line][0],
            budget_line_id=line,
            funded_hours=hours.get((person, line), ZERO),
            amount=amount,
            from_commitment=drawn.get((person, line), ZERO),
        )
        for (person, line), amount in sorted(amounts.items())
        if amount
    ]
