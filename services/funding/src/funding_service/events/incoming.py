"""The events funding consumes: each contract to its use case. The topics come from the contracts.

Every use case is followed by the retry of support's unpaid units on the lines it gave money back to
(``support_retry.then_retry``: nothing to do, and no query, when it gave none back)."""

from __future__ import annotations

from collections.abc import Sequence

from funding_service.service_layer import commitments, consumption, course_plans, projection, support_costs
from funding_service.service_layer.support_retry import then_retry
from hope_contracts import enrolment, support, training
from hopekit.events.subscriptions import ConsumerSpec, on

CONSUMERS: Sequence[ConsumerSpec] = [
    # One group for both topics: a person's step start, sheets and withdrawal are applied by one consumer.
    ConsumerSpec(
        name="ledger",
        subscriptions=[
            on(enrolment.CohortCreated, then_retry(projection.note_cohort)),
            on(enrolment.CohortMemberAdded, then_retry(projection.note_member)),
            on(enrolment.StepStarted, then_retry(commitments.on_step_started)),
            on(enrolment.BeneficiaryWithdrawn, then_retry(commitments.on_withdrawn)),
            on(training.CourseScheduled, then_retry(course_plans.on_course_scheduled)),
            on(training.AttendanceRecorded, then_retry(consumption.on_attendance_recorded)),
        ],
    ),
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
