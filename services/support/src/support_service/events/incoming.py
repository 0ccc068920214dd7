"""The events support consumes: each contract to its use case. The topics come from the contracts."""

from __future__ import annotations

from collections.abc import Sequence

from hope_contracts import enrolment, training
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.partners import partner_consumer
from support_service.adapters.tables import partners
from support_service.service_layer import erasure, meals, projection, training_events

CONSUMERS: Sequence[ConsumerSpec] = [
    ConsumerSpec(
        name="enrolment-projection",
        subscriptions=[
            on(enrolment.CohortCreated, projection.note_cohort),
            on(enrolment.CohortCalendarChanged, projection.note_calendar),
            on(enrolment.CohortMemberAdded, projection.note_member),
            on(enrolment.StepStarted, projection.note_step_started),
            on(enrolment.BeneficiaryWithdrawn, projection.withdraw),
            on(enrolment.PathwayCompleted, projection.complete),
            on(enrolment.BeneficiaryErased, erasure.erase_beneficiary),
        ],
    ),
    ConsumerSpec(
        name="training-events",
        subscriptions=[
            on(training.AbsenceAlertRaised, training_events.note_alert),
            on(training.AttendanceRecorded, training_events.note_attendance),
            on(training.SessionsScheduled, meals.on_sessions_scheduled),
        ],
    ),
    partner_consumer(partners),
]
