"""The events enrolment consumes: each contract to its use case (the topics come from the contracts), and the
gateway's partner organisations, kept in its own projection."""

from __future__ import annotations

from enrolment_service.adapters.tables import partners
from enrolment_service.service_layer import path_closure, training_progress
from hope_contracts import employment, training
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.partners import partner_consumer

CONSUMERS = [
    ConsumerSpec(
        name="training-progress",
        subscriptions=[on(training.CourseCompleted, training_progress.note_course_completed)],
    ),
    # The path completes once step 4's qualification result and the exit outcome are in (domain.closure). A poll
    # is applied whole (its people read and written together); when that fails, event by event.
    ConsumerSpec(
        name="path-closure",
        subscriptions=[
            on(training.QualificationAwarded, path_closure.note_qualification_result),
            on(employment.OutcomeRecorded, path_closure.note_outcome_recorded),
        ],
        batch=path_closure.close_paths,
    ),
    partner_consumer(partners),
]
