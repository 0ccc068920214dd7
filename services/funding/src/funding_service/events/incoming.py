"""The events funding consumes: each contract to its use case. The topics come from the contracts."""

from __future__ import annotations

from collections.abc import Sequence

from funding_service.service_layer import commitments, consumption, course_plans, projection
from hope_contracts import enrolment, training
from hopekit.events.subscriptions import ConsumerSpec, on

CONSUMERS: Sequence[ConsumerSpec] = [
    # One group for both topics: a person's step start, sheets and withdrawal are applied by one consumer.
    ConsumerSpec(
        name="ledger",
        subscriptions=[
            on(enrolment.CohortCreated, projection.note_cohort),
            on(enrolment.CohortMemberAdded, projection.note_member),
            on(enrolment.StepStarted, commitments.on_step_started),
            on(enrolment.BeneficiaryWithdrawn, commitments.on_withdrawn),
            on(training.CourseScheduled, course_plans.on_course_scheduled),
            on(training.AttendanceRecorded, consumption.on_attendance_recorded),
        ],
    )
]
