"""The events employment consumes: enrolment's path events and training's qualifications, into the local
projection of each person's path. The topics come from the contracts."""

from __future__ import annotations

from collections.abc import Sequence

from employment_service.service_layer import projection
from hope_contracts import enrolment, training
from hopekit.events.subscriptions import ConsumerSpec, on

CONSUMERS: Sequence[ConsumerSpec] = (
    ConsumerSpec(
        name="path-projection",
        subscriptions=[
            on(enrolment.StepStarted, projection.note_step_started),
            on(enrolment.CohortCreated, projection.note_cohort),
            on(enrolment.CohortMemberAdded, projection.note_member),
            on(enrolment.BeneficiaryWithdrawn, projection.withdraw),
            on(enrolment.PathwayCompleted, projection.complete),
            on(enrolment.BeneficiaryErased, projection.erase),
            on(enrolment.ConsentChanged, projection.note_consent),
            on(training.QualificationAwarded, projection.note_qualification),
        ],
    ),
)
