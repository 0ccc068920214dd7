"""The events training consumes: each contract to its use case. The topics come from the contracts."""

from __future__ import annotations

from hope_contracts import enrolment
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.partners import partner_consumer
from training_service.adapters.tables import partners
from training_service.service_layer import erasure, projection

CONSUMERS = [
    ConsumerSpec(
        name="enrolment-projection",
        subscriptions=[
            on(enrolment.BeneficiaryRegistered, projection.note_registration),
            on(enrolment.StepStarted, projection.note_step_started),
            on(enrolment.StepCompleted, projection.note_step_completed),
            on(enrolment.BeneficiaryWithdrawn, projection.withdraw),
            on(enrolment.BeneficiaryErased, erasure.erase_beneficiary),
            on(enrolment.CohortCreated, projection.note_cohort),
            on(enrolment.CohortCalendarChanged, projection.note_calendar_change),
            on(enrolment.CohortMemberAdded, projection.note_member),
        ],
    ),
    # The partner organisations, from the gateway's events.
    partner_consumer(partners),
]
