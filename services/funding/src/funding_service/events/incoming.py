"""The events funding consumes: each contract to its use case. The topics come from the contracts."""

from __future__ import annotations

from collections.abc import Sequence

from funding_service.service_layer import commitments, consumption, course_plans, projection, support_costs
from hope_contracts import enrolment, support, training
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
    ),
    # Support's placements, meals and files, on their own topic: costed by the lines of the person's plans.
    ConsumerSpec(
        name="support-costs",
        subscriptions=[
            on(support.HousingAssigned, support_costs.on_housing_assigned),
            on(support.HousingReleased, support_costs.on_housing_released),
            on(support.MealsEntitled, support_costs.on_meals_entitled),
            on(support.SupportFileOpened, support_costs.on_file_opened),
            on(support.SupportFileClosed, support_costs.on_file_closed),
        ],
    ),
]
