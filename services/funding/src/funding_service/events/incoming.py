"""The events funding consumes: each contract to its use case. The topics come from the contracts.

Every use case is followed by the retry of support's unpaid units on the lines it gave money back to
(``support_retry.then_retry``: nothing to do, and no query, when it gave none back).

The ledger's consumer applies a poll's events in one transaction (``ConsumerSpec.batch``), each in turn with its
own use case, exactly as one by one: a backlog of sheets then pays one BEGIN, inbox write, outbox write and
COMMIT per poll instead of per sheet. Consecutive attendance sheets go further (``sheet_runs``): what they read is
read ahead once for them all, and what they write is written once when the run ends. Any failure undoes the poll
and the kit applies its events one by one (a poison event is dead-lettered alone). Support's consumer stays per
record: its events are few."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import Any

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.service_layer import (
    commitments,
    consumption,
    course_plans,
    projection,
    sheet_runs,
    support_costs,
)
from funding_service.service_layer.support_retry import then_retry
from hope_contracts import enrolment, support, training
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.context import current_event
from hopekit.events.ordering import child_traceparent
from hopekit.events.subscriptions import BatchApply, ConsumerSpec, Subscription, on
from hopekit.logs import traceparent_var


@contextmanager
def _handling(event: ReceivedEvent) -> Iterator[None]:
    """What the kit sets around one event's handler, so that inside a batch its audit rows and published events
    are those it would have written alone: the event as the actor, its trace going on."""
    event_token = current_event.set(event)
    trace_token = traceparent_var.set(child_traceparent(event.traceparent) or traceparent_var.get())
    try:
        yield
    finally:
        traceparent_var.reset(trace_token)
        current_event.reset(event_token)


def each_in_turn(subscriptions: Sequence[Subscription[FundingUnitOfWork, Any]]) -> BatchApply:
    handlers = {subscription.contract.event_type: subscription for subscription in subscriptions}

    sheet = handlers.get(training.AttendanceRecorded.event_type)

    async def apply(uow: FundingUnitOfWork, events: Sequence[ReceivedEvent]) -> None:
        for is_sheet, run in groupby(events, key=lambda event: event.type == training.AttendanceRecorded.event_type):
            together = list(run)
            if is_sheet and sheet is not None and len(together) > 1:
                sheets = [training.AttendanceRecorded.model_validate(event.data) for event in together]
                async with sheet_runs.applied_together(uow, sheets):
                    for event, contract in zip(together, sheets, strict=True):
                        with _handling(event):
                            await sheet.use_case(uow, contract)
                continue
            for event in together:
                with _handling(event):
                    await handlers[event.type](uow, event)

    return apply


# One group for both topics: a person's step start, sheets and withdrawal are applied by one consumer.
_LEDGER: list[Subscription[FundingUnitOfWork, Any]] = [
    on(enrolment.CohortCreated, then_retry(projection.note_cohort)),
    on(enrolment.CohortMemberAdded, then_retry(projection.note_member)),
    on(enrolment.StepStarted, then_retry(commitments.on_step_started)),
    on(enrolment.BeneficiaryWithdrawn, then_retry(commitments.on_withdrawn)),
    on(training.CourseScheduled, then_retry(course_plans.on_course_scheduled)),
    on(training.AttendanceRecorded, then_retry(consumption.on_attendance_recorded)),
]

CONSUMERS: Sequence[ConsumerSpec] = [
    ConsumerSpec(name="ledger", subscriptions=_LEDGER, batch=each_in_turn(_LEDGER)),
    # Support's placements, meals and files, on their own topic: costed by the lines of the person's plans.
    ConsumerSpec(
        name="support-costs",
        subscriptions=[
            on(support.HousingAssigned, then_retry(support_costs.on_housing_assigned)),
            on(support.HousingReleased, then_retry(support_costs.on_housing_released)),
            on(support.MealsEntitled, then_retry(support_costs.on_meals_entitled)),
            on(support.SupportFileOpened, then_retry(support_costs.on_file_opened)),
            on(support.SupportFileClosed, then_retry(support_costs.on_file_closed)),
        ],
    ),
]
