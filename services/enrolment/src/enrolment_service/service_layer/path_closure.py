"""Closing a path on its own: step 4 started, training's qualification result in and employment's exit outcome
recorded, in any order, exactly once (domain.closure), and never for a person who already left.

Training's and employment's events are handled by the consumer in the transaction of its inbox row: a whole poll
at once (``close_paths``: every person of the poll read, locked and written in a few statements), or one event
at a time when that fails (``note_*``). Enrolment's own step-4 start, withdrawal and completion feed the same rule
in the transaction of the pathway's change. Each decision holds the person's row lock first, so two of them for
one person never interleave.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

from opentelemetry.trace import SpanKind

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Beneficiary
from enrolment_service.domain.closure import PathClosure, PathSignal, decide
from enrolment_service.domain.events import BeneficiaryWithdrawn, DomainEvent, PathwayCompleted, StepStarted
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.vocabulary import TERMINAL_STATUSES, PathwayStatus, Step
from enrolment_service.service_layer.publishing import publish
from hope_contracts import employment, training
from hopekit import tracing
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.context import current_event
from hopekit.events.ordering import child_traceparent
from hopekit.logs import traceparent_var
from hopekit.uow import PLATFORM_ORG

log = logging.getLogger(__name__)

# Who completes a path on its own, in the pathway's history.
CLOSURE_RULE = Actor(subject="hope:path-closure", org_id=PLATFORM_ORG)

# What each consumed event says towards the closure (training's result, whatever it is; employment's outcome).
SIGNALS: dict[type[training.QualificationAwarded | employment.OutcomeRecorded], PathSignal] = {
    training.QualificationAwarded: PathSignal.QUALIFICATION_RESULT_IN,
    employment.OutcomeRecorded: PathSignal.OUTCOME_RECORDED,
}
_CONTRACTS = {contract.event_type: contract for contract in SIGNALS}


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


async def close_paths(uow: EnrolmentUnitOfWork, events: Sequence[ReceivedEvent]) -> None:
    """A consumer poll's events (``ConsumerSpec.batch``), with the effects of ``_on_event`` applied to each in
    turn: the poll's people are read and locked at once, each event folded into its person's closure in memory,
    and the closures and completed pathways written at the end, a few statements in all. Any failure (a payload
    that does not validate, a lock conflict) undoes the whole poll, and the kit then applies its events one by
    one."""
    received = [(event, _CONTRACTS[event.type].model_validate(event.data)) for event in events]
    people = {contract.beneficiary_id for _, contract in received}
    known = {beneficiary.id: beneficiary for beneficiary in await uow.beneficiaries.get_many(people, for_update=True)}
    stored = await uow.closures.get_many(known)
    closures = dict(stored)
    completed: dict[UUID, Beneficiary] = {}
    for event, contract in received:
        signal = SIGNALS[type(contract)]
        beneficiary = known.get(contract.beneficiary_id)
        with _handling(event):
            if beneficiary is None:
                log.warning("%s for an unknown beneficiary", signal.value)
                continue
            uow.audit_event(signal.value, "beneficiary", beneficiary.id)
            state, complete = _fold(closures.get(beneficiary.id), beneficiary.pathway, [signal])
            closures[beneficiary.id] = state
            if complete:
                publish(uow, beneficiary.pathway.complete_on_results(CLOSURE_RULE, contract.occurred_at))
                uow.audit_event("complete", "beneficiary", beneficiary.id)
                completed[beneficiary.id] = beneficiary
    changed = {person: state for person, state in closures.items() if state != stored.get(person, PathClosure())}
    await uow.closures.save_many(changed, new=changed.keys() - stored.keys())
    await uow.beneficiaries.save_many(completed.values())


@contextmanager
def _handling(event: ReceivedEvent) -> Iterator[None]:
    """What the kit sets around one event's handler (``hopekit.events.ordering.apply_in_order``), so that the
    audit rows and the events published for it inside a batch are those the event alone would have written:
    the event as the audit row's actor, its trace going on in the published events."""
    event_token = current_event.set(event)
    trace_token = traceparent_var.set(child_traceparent(event.traceparent) or traceparent_var.get())
    try:
        with tracing.span(f"{event.type} process", SpanKind.CONSUMER, event.traceparent):
            yield
    finally:
        traceparent_var.reset(trace_token)
        current_event.reset(event_token)


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
    state, complete = _fold(stored, beneficiary.pathway, signals)
    if state != (stored or PathClosure()):
        await uow.closures.save(beneficiary.id, state, new=stored is None)
    return beneficiary.pathway.complete_on_results(CLOSURE_RULE, at) if complete else []


def _fold(stored: PathClosure | None, pathway: Pathway, signals: Iterable[PathSignal]) -> tuple[PathClosure, bool]:
    """The closure after these signals, and whether the path completes now."""
    state, complete = stored or PathClosure(), False
    # What the pathway itself shows counts too: people who reached step 4 or left before this rule existed.
    for signal in (*_implied_by(pathway), *signals):
        state, now = decide(state, signal)
        complete = complete or now
    return state, complete


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
