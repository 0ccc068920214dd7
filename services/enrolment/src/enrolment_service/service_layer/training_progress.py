"""What enrolment learns from training: step 3's hours done, the condition for step 4 to start.

Run by the consumer in the transaction of its inbox row: redelivery finds the event already processed, and a
second completion of the same person changes nothing (the first that counts is kept).
"""

from __future__ import annotations

import logging

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.pathway import FrenchCourseCompletion
from enrolment_service.domain.vocabulary import Step
from hope_contracts import training

log = logging.getLogger(__name__)


async def note_course_completed(uow: EnrolmentUnitOfWork, event: training.CourseCompleted) -> None:
    if Step(event.step) is not Step.FRENCH_QUALIFICATION:
        return  # only step 3's hours gate a transition here; step 4's completion is the operator's call
    beneficiary = await uow.beneficiaries.get(event.beneficiary_id, for_update=True)
    if beneficiary is None:
        # Training only knows people enrolment published; an unknown id is someone else's mistake, not a retry.
        log.warning("course-completed for an unknown beneficiary", extra={"course_id": str(event.course_id)})
        return
    pathway = beneficiary.pathway
    already = pathway.french_hours_done_at
    pathway.note_french_course_completed(
        FrenchCourseCompletion(
            course_id=event.course_id,
            planned_hours=event.planned_hours,
            attended_hours=event.attended_hours,
            hours_waived=event.hours_waived,
            at=event.occurred_at,
        )
    )
    if pathway.french_hours_done_at != already:
        await uow.beneficiaries.save(beneficiary)
        uow.audit_event("step_3_hours_done", "beneficiary", beneficiary.id)
