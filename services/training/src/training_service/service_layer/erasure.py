"""Erasing a person when enrolment erases their identity: everything training holds about them goes."""

from __future__ import annotations

from hope_contracts import enrolment
from training_service.adapters.unit_of_work import TrainingUnitOfWork


async def erase_beneficiary(uow: TrainingUnitOfWork, event: enrolment.BeneficiaryErased) -> None:
    """Their individual courses, attendance, alerts, assessments, qualifications and participations, and their
    place in the projection; the person is remembered as erased so that a late event recreates nothing. The
    audit row says that it was done, on which event, and how many courses went."""
    person = event.beneficiary_id
    courses = await uow.courses.individual_course_ids(person)
    for course_id in courses:
        await uow.courses.delete(course_id)
    await uow.attendance.erase(person)
    await uow.records.erase(person)
    await uow.projection.erase(person, event.occurred_at)
    uow.audit_event("erase", "beneficiary", person, reason=f"individual_courses:{len(courses)}")
