"""The events enrolment consumes: each contract to its use case. The topics come from the contracts."""

from __future__ import annotations

from enrolment_service.service_layer import training_progress
from hope_contracts import training
from hopekit.events.subscriptions import ConsumerSpec, on

CONSUMERS = [
    ConsumerSpec(
        name="training-progress",
        subscriptions=[on(training.CourseCompleted, training_progress.note_course_completed)],
    )
]
