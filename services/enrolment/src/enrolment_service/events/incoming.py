"""The events enrolment consumes: each contract to its use case (the topics come from the contracts), and the
gateway's partner organisations, kept in its own projection."""

from __future__ import annotations

from enrolment_service.adapters.tables import partners
from enrolment_service.service_layer import training_progress
from hope_contracts import training
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.partners import partner_consumer

CONSUMERS = [
    ConsumerSpec(
        name="training-progress",
        subscriptions=[on(training.CourseCompleted, training_progress.note_course_completed)],
    ),
    partner_consumer(partners),
]
