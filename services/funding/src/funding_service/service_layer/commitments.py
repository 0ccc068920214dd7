"""Commitments: money reserved on budget lines for a person, on a step's start (from enrolment's event) or by
hand for an individual path; released when the person withdraws."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import insert, select

from funding_service.adapters.tables import commitments
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.errors import InvalidValue, LimitExceeded, NotFound
from funding_service.domain.ledger import AccountKey, Transaction
from funding_service.domain.money import ZERO, to_cent
from funding_service.domain.vocabulary import AgreementStatus, CostType, Stage
from funding_service.service_layer import access
from funding_service.service_layer.ledger_writes import post
from hope_contracts import enrolment
from hope_contracts.funding import CommitmentMade, CommitmentReleased, FunderPart, ReleaseReason
from hopekit.identity.principal import Principal

log = logging.getLogger(__name__)

FUNDED_STEPS = (3, 4)


def commitment_accounts(beneficiary_id: UUID, line_ids: list[UUID]) -> list[AccountKey]:
    keys = []
    for line_id in line_ids:
        keys += [AccountKey.line(line_id, Stage.AVAILABLE), AccountKey.person(line_id, Stage.COMMITTED, beneficiary_id)]
    return keys


def release_accounts(beneficiary_id: UUID, line_ids: list[UUID]) -> list[AccountKey]:
    """What moving a person's commitment back to its lines touches (a release, or a re-schedule either way)."""
    keys: list[AccountKey] = []
    for line_id in line_ids:
        keys += [
            AccountKey.line(line_id, Stage.GRANTED),
            AccountKey.line(line_id, Stage.AVAILABLE),
            AccountKey.person(line_id, Stage.COMMITTED, beneficiary_id),
            AccountKey.person(line_id, Stage.RELEASED, beneficiary_id),
        ]
    return keys


async def funder_parts(uow: FundingUnitOfWork, transaction: Transaction, target: Stage) -> tuple[FunderPart, ...]:
    """Each line's part of a transaction: what reached ``target`` on it."""
    amounts: dict[UUID, Decimal] = {}
    for posting in transaction.postings:
        if posting.account.stage is target and posting.side.value == "credit":
            amounts[posting.account.budget_line_id] = amounts.get(posting.account.budget_line_id, ZERO) + posting.amount
    owners = await uow.reference.line_owners(set(amounts))
    return tuple(
        FunderPart(funder_id=owners[line][1], agreement_id=owners[line][0], budget_line_id=line, amount=amount)
        for line, amount in sorted(amounts.items())
    )


async def commit_by_hand(
    uow: FundingUnitOfWork, principal: Principal, beneficiary_id: UUID, budget_line_id: UUID, quantity: Decimal
) -> tuple[CommitmentMade, Decimal]:
    """An individual path's commitment: quantity times the line's rate; 409 with the line's available amount when
    the line has not that much left. Returns the event and what the line has left."""
    access.ensure_operator_writer(principal)
    lines = await uow.reference.lines({budget_line_id})
    owners = await uow.reference.line_owners({budget_line_id})
    if budget_line_id not in lines:
        raise NotFound("budget line", budget_line_id)
    if owners[budget_line_id][2] != AgreementStatus.ACTIVE:
        raise InvalidValue("budget_line_id", "money moves only on an active agreement")
    line = lines[budget_line_id]
    amount = to_cent(quantity * line.rate.amount)
    if amount <= 0:
        raise InvalidValue("quantity", "must commit some money")
    now = datetime.now(UTC)
    commitment_id = uuid4()
    keys = commitment_accounts(beneficiary_id, [budget_line_id])
    transaction = await post(
        uow, keys, lambda _: movements.commitment(beneficiary_id, {budget_line_id: amount}, now, commitment_id)
    )
    assert transaction is not None
    event = CommitmentMade(
        commitment_id=commitment_id,
        beneficiary_id=beneficiary_id,
        cost_type=line.cost_type.value,
        planned_quantity=quantity,
        total_amount=amount,
        parts=await funder_parts(uow, transaction, Stage.COMMITTED),
        occurred_at=now,
    )
    uow.publish(event)
    uow.audit(principal, "commit", "beneficiary", beneficiary_id)
    return event, await available(uow, budget_line_id)


async def available(uow: FundingUnitOfWork, line_id: UUID) -> Decimal:
    found = await uow.ledger.balances([AccountKey.line(line_id, Stage.AVAILABLE)])
    return found.get(AccountKey.line(line_id, Stage.AVAILABLE), ZERO)


async def on_step_started(uow: FundingUnitOfWork, event: enrolment.StepStarted) -> None:
    """Steps 3 and 4 of a person in a financed cohort (or path): each funder's part of the planned hours (the
    course's, else the step's default) is committed. No plan: nothing (the cohort is listed as without a plan).
    Not enough left on a line: the commitment is kept as ``unfunded`` for the operator, not retried: a shortage
    of money is not an error."""
    await uow.projection.note_step(event.beneficiary_id, event.track, event.step, event.cohort_id)
    if event.step not in FUNDED_STEPS:
        return
    cohort_id = event.cohort_id or await uow.projection.cohort_of(event.beneficiary_id)
    plan = await uow.reference.plan_for(CostType.TRAINING_HOURS, event.step, cohort_id, event.beneficiary_id)
    if plan is None:
        log.info("step %s started without a financing plan", event.step)
        return
    connection = uow.connection
    done = await connection.scalar(
        select(commitments.c.id).where(
            commitments.c.beneficiary_id == event.beneficiary_id,
            commitments.c.step == event.step,
            commitments.c.plan_id == plan.plan_id,
        )
    )
    if done is not None:
        return
    commitment_id = uuid4()
    # The course's planned hours when training has scheduled it, else the step's (a later course adjusts them).
    course_hours = await uow.courses.planned_hours(event.step, cohort_id, event.beneficiary_id)
    planned = movements.DEFAULT_STEP_HOURS[event.step] if course_hours is None else course_hours
    row = {
        "id": commitment_id,
        "beneficiary_id": event.beneficiary_id,
        "step": event.step,
        "plan_id": plan.plan_id,
        "amount": plan.amount_for(planned),
        "planned_hours": planned,
        "scheduled_hours": planned,
    }
    owners = await uow.reference.line_owners(set(plan.shares))
    if any(status != AgreementStatus.ACTIVE for _, _, status in owners.values()):
        await connection.execute(insert(commitments).values(**row, transaction_id=None, outcome="inactive"))
        return
    # Training's sheets can arrive before this event: what they consumed for the step is not reserved again.
    consumed = await uow.consumption.step_consumed([event.beneficiary_id], event.step, plan.shares)
    parts = movements.step_parts(plan, planned, {line: amount for (_, line), amount in consumed.items()})
    if not any(parts.values()):
        # The step consumed its whole planned cost already: the commitment stands, holding nothing.
        await connection.execute(insert(commitments).values(**row, transaction_id=None, outcome="committed"))
        return
    now = datetime.now(UTC)
    keys = commitment_accounts(event.beneficiary_id, sorted(plan.shares))
    try:
        transaction = await post(
            uow, keys, lambda _: movements.commitment(event.beneficiary_id, parts, now, commitment_id)
        )
    except LimitExceeded:
        await connection.execute(insert(commitments).values(**row, transaction_id=None, outcome="unfunded"))
        return
    assert transaction is not None
    await connection.execute(
        insert(commitments).values(**row, transaction_id=transaction.transaction_id, outcome="committed")
    )
    uow.publish(
        CommitmentMade(
            commitment_id=commitment_id,
            beneficiary_id=event.beneficiary_id,
            cohort_id=cohort_id,
            step=event.step,
            cost_type=CostType.TRAINING_HOURS.value,
            planned_quantity=planned,
            total_amount=transaction.total,
            parts=await funder_parts(uow, transaction, Stage.COMMITTED),
            occurred_at=now,
        )
    )
    uow.audit_event("commit", "beneficiary", event.beneficiary_id)


async def release(uow: FundingUnitOfWork, beneficiary_id: UUID, reason: ReleaseReason) -> CommitmentReleased | None:
    """Give back to the lines what the person has committed and not consumed."""
    line_ids = await uow.ledger.person_lines(beneficiary_id, Stage.COMMITTED)
    if not line_ids:
        return None
    keys = release_accounts(beneficiary_id, line_ids)
    now = datetime.now(UTC)
    transaction = await post(uow, keys, lambda ledger: movements.release(ledger, beneficiary_id, line_ids, now))
    if transaction is None:
        return None
    event = CommitmentReleased(
        release_id=transaction.transaction_id,
        beneficiary_id=beneficiary_id,
        reason=reason,
        total_amount=sum((p.amount for p in transaction.postings if p.account.stage is Stage.RELEASED), ZERO),
        parts=await funder_parts(uow, transaction, Stage.RELEASED),
        occurred_at=now,
    )
    uow.publish(event)
    return event


async def on_withdrawn(uow: FundingUnitOfWork, event: enrolment.BeneficiaryWithdrawn) -> None:
    await uow.projection.note_withdrawal(event.beneficiary_id, event.occurred_at)
    if await release(uow, event.beneficiary_id, "withdrawn") is not None:
        uow.audit_event("release", "beneficiary", event.beneficiary_id)
