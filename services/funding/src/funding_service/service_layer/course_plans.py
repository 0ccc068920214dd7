"""Training's scheduled courses: a step's commitments stand for its course's planned hours.

A course scheduled (or re-scheduled, sent again whole) moves each commitment it concerns (its person's, or its
cohort members' at that step) from the hours it stood for to the course's: the difference is committed, or
released. An older version arriving after a newer one, or the same one twice, changes nothing. An increase the
lines cannot pay (or on an agreement no longer active) is refused whole: the commitment keeps the hours it stood
for, the hours the course wants are kept beside them, and ``GET /v1/pending-commitments`` lists it as
``unfunded_increase`` for the operator; the next version of the course tries again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from funding_service.adapters.courses import ScheduledCourse, StepCommitment
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import Transaction
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import AgreementStatus, CostType, Stage
from funding_service.service_layer.commitments import funder_parts, release_accounts
from funding_service.service_layer.ledger_writes import post
from hope_contracts import training
from hope_contracts.funding import CommitmentMade, CommitmentReleased

log = logging.getLogger(__name__)


async def on_course_scheduled(uow: FundingUnitOfWork, event: training.CourseScheduled) -> None:
    course = ScheduledCourse(
        course_id=event.course_id,
        step=event.step,
        cohort_id=event.cohort_id,
        beneficiary_id=event.beneficiary_id,
        provider_org_id=event.provider_org_id,
        planned_hours=event.planned_hours,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        scheduled_at=event.occurred_at,
    )
    if (course.cohort_id is None) == (course.beneficiary_id is None) or course.planned_hours <= 0:
        log.warning("course %s scheduled for neither one cohort nor one person, or without hours", course.course_id)
        return
    if not await uow.courses.note(course):
        return  # an older version than the one kept, or the same again
    for commitment in await uow.courses.commitments_for(course):
        await adjust(uow, commitment, course.planned_hours, course.cohort_id)


async def adjust(uow: FundingUnitOfWork, commitment: StepCommitment, hours: Decimal, cohort_id: UUID | None) -> None:
    """Move one step commitment to ``hours``."""
    [plan] = await uow.reference.plans(id=commitment.plan_id)
    if commitment.outcome != "committed" or hours == commitment.planned_hours:
        # Nothing committed (the operator's list then shows what the step now needs), or nothing to move.
        await uow.courses.record(commitment.commitment_id, hours, hours, plan.amount_for(hours))
        return
    # Both the old and the new hours net of what the step already consumed: a commitment never stands for more
    # than the planned cost less what was consumed (whatever order the sheets and the commitment came in).
    consumed = await uow.consumption.step_consumed([commitment.beneficiary_id], commitment.step, plan.shares)
    by_line = {line: amount for (_, line), amount in consumed.items()}
    changes = movements.step_recommitment_changes(plan, commitment.planned_hours, hours, by_line)
    if not any(changes.values()):
        await uow.courses.record(commitment.commitment_id, hours, hours, plan.amount_for(hours))
        return
    transaction = await _post(uow, plan, commitment.beneficiary_id, changes, commitment.commitment_id)
    if transaction is None:
        # Refused: the money stays where it was; the wanted hours are kept for the operator's list.
        kept = commitment.planned_hours
        await uow.courses.record(commitment.commitment_id, kept, hours, plan.amount_for(kept))
        return
    await uow.courses.record(commitment.commitment_id, hours, hours, plan.amount_for(hours))
    now = datetime.now(UTC)
    made = await funder_parts(uow, transaction, Stage.COMMITTED)
    if made:
        uow.publish(
            CommitmentMade(
                commitment_id=transaction.transaction_id,
                beneficiary_id=commitment.beneficiary_id,
                cohort_id=cohort_id,
                step=commitment.step,
                cost_type=CostType.TRAINING_HOURS.value,
                planned_quantity=abs(hours - commitment.planned_hours),
                total_amount=sum((part.amount for part in made), ZERO),
                parts=made,
                occurred_at=now,
            )
        )
    released = await funder_parts(uow, transaction, Stage.RELEASED)
    if released:
        uow.publish(
            CommitmentReleased(
                release_id=transaction.transaction_id,
                beneficiary_id=commitment.beneficiary_id,
                reason="rescheduled",
                total_amount=sum((part.amount for part in released), ZERO),
                parts=released,
                occurred_at=now,
            )
        )
    uow.audit_event("recommit", "beneficiary", commitment.beneficiary_id)


async def _post(
    uow: FundingUnitOfWork, plan: FinancingPlan, person: UUID, changes: dict[UUID, Decimal], reference_id: UUID
) -> Transaction | None:
    """The recommitment, or None when it moves nothing or is refused (an increase beyond a line, or on an
    agreement no longer active)."""
    lines = sorted(changes)
    if any(change > 0 for change in changes.values()):
        owners = await uow.reference.line_owners(set(lines))
        if any(status != AgreementStatus.ACTIVE for _, _, status in owners.values()):
            return None
    keys = release_accounts(person, lines)
    now = datetime.now(UTC)
    try:
        return await post(uow, keys, lambda ledger: movements.recommitment(ledger, person, changes, now, reference_id))
    except LimitExceeded:
        log.info("a re-scheduled course asks more than the lines of plan %s have left", plan.plan_id)
        return None
