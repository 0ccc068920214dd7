"""The events support consumes: each contract to its use case. The topics come from the contracts."""

from __future__ import annotations

from collections.abc import Sequence

from hope_contracts import enrolment, training
from hopekit.events.subscriptions import ConsumerSpec, on
from support_service.service_layer import erasure, projection, training_events

CONSUMERS: Sequence[ConsumerSpec] = [
    ConsumerSpec(
        name="enrolment-projection",
        subscriptions=[
            on(enrolment.CohortCreated, projection.note_cohort),
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
        ],
    ),
]
