"""Closing a path on its own: step 4 started, training's qualification result in and employment's exit outcome
recorded, in any order, exactly once (domain.closure), and never for a person who already left.

Training's and employment's events are handled by the consumer in the transaction of its inbox row; enrolment's
own step-4 start, withdrawal and completion feed the same rule in the transaction of the pathway's change. Each
decision holds the person's row lock first, so two of them for one person never interleave.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Beneficiary
from enrolment_service.domain.closure import PathClosure, PathSignal, decide
from enrolment_service.domain.events import BeneficiaryWithdrawn, DomainEvent, PathwayCompleted, StepStarted
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.vocabulary import TERMINAL_STATUSES, PathwayStatus, Step
from enrolment_service.service_layer.publishing import publish
from hope_contracts import employment, training
from hopekit.uow import PLATFORM_ORG

log = logging.getLogger(__name__)

# Who completes a path on its own, in the pathway's history.
CLOSURE_RULE = Actor(subject="hope:path-closure", org_id=PLATFORM_ORG)


async def note_qualification_result(uow: EnrolmentUnitOfWork, event: training.QualificationAwarded) -> None:
    """Whatever the result: a failed qualification still ends step 4."""
    await _on_event(uow, event.beneficiary_id, PathSignal.QUALIFICATION_RESULT_IN, event.occurred_at)


async def note_outcome_recorded(uow: EnrolmentUnitOfWork, event: employment.OutcomeRecorded) -> None:
    await _on_event(uow, event.beneficiary_id, PathSignal.OUTCOME_RECORDED, event.occurred_at)


async def _on_event(uow: EnrolmentUnitOfWork, beneficiary_id: UUID, signal: PathSignal, at: datetime) -> None:
    beneficiary = await uow.beneficiaries.get(beneficiary_id, for_update=True)
    if beneficiary is None:
        # Other services know only the people enrolment published: an unknown id is not worth a retry.
        log.warning("%s for an unknown beneficiary", signal.value)
        return
    uow.audit_event(signal.value, "beneficiary", beneficiary.id)
    completion = await observe(uow, beneficiary, [signal], at)
    if completion:
        await uow.beneficiaries.save(beneficiary)
        publish(uow, completion)
        uow.audit_event("complete", "beneficiary", beneficiary.id)


async def after_transition(
    uow: EnrolmentUnitOfWork, beneficiary: Beneficiary, events: Sequence[DomainEvent]
) -> list[DomainEvent]:
    """Enrolment's own changes that the rule waits for (step 4 started) or that end it (withdrawn, completed).
    When step 4's start is the last of the three, the path completes in the same transaction: its events."""
    signals = list(_signals_of(events))
    return await observe(uow, beneficiary, signals, datetime.now(UTC)) if signals else []


async def observe(
    uow: EnrolmentUnitOfWork, beneficiary: Beneficiary, signals: Iterable[PathSignal], at: datetime
) -> list[DomainEvent]:
    """Folds the signals into the person's closure and stores it; the completion's events when the path
    completes now (the pathway is changed, the caller saves it)."""
    stored = await uow.closures.get(beneficiary.id)
    state, complete = stored or PathClosure(), False
    # What the pathway itself shows counts too: people who reached step 4 or left before this rule existed.
    for signal in (*_implied_by(beneficiary.pathway), *signals):
        state, now = decide(state, signal)
        complete = complete or now
    if state != (stored or PathClosure()):
        await uow.closures.save(beneficiary.id, state, new=stored is None)
    return beneficiary.pathway.complete_on_results(CLOSURE_RULE, at) if complete else []


def _implied_by(pathway: Pathway) -> list[PathSignal]:
    implied = []
    if any(entry.to_status is PathwayStatus.TRADE_QUALIFICATION for entry in pathway.history):
        implied.append(PathSignal.STEP_4_STARTED)
    if pathway.status in TERMINAL_STATUSES:
        implied.append(PathSignal.PATH_LEFT)
    return implied


def _signals_of(events: Iterable[DomainEvent]) -> Iterable[PathSignal]:
    for event in events:
        if isinstance(event, StepStarted) and event.step is Step.TRADE_QUALIFICATION:
            yield PathSignal.STEP_4_STARTED
        elif isinstance(event, BeneficiaryWithdrawn | PathwayCompleted):
            yield PathSignal.PATH_LEFT
