"""Training's events: absence alerts land on the person's file; attendance sheets say who was present on which
day, which the catering reconciliation counts. Nothing is kept for an erased person."""

from __future__ import annotations

from hope_contracts import training
from support_service.adapters.unit_of_work import SupportUnitOfWork


async def note_alert(uow: SupportUnitOfWork, event: training.AbsenceAlertRaised) -> None:
    person = await uow.projection.person(event.beneficiary_id)
    if person is not None and person.erased:
        return
    await uow.training.alert(
        event.alert_id, event.beneficiary_id, event.course_id, event.step, event.rule, event.occurred_at
    )


async def note_attendance(uow: SupportUnitOfWork, event: training.AttendanceRecorded) -> None:
    present = {}
    for entry in event.entries:
        person = await uow.projection.person(entry.beneficiary_id)
        if person is None or not person.erased:
            present[entry.beneficiary_id] = entry.hours_attended > 0
    await uow.training.sheet(event.session_id, event.held_on, present)
