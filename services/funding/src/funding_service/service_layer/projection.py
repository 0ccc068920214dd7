"""Enrolment's cohorts and their members, kept to find a person's financing plan and a cohort's money."""

from __future__ import annotations

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from hope_contracts import enrolment


async def note_cohort(uow: FundingUnitOfWork, event: enrolment.CohortCreated) -> None:
    await uow.cohorts.note(event)


async def note_member(uow: FundingUnitOfWork, event: enrolment.CohortMemberAdded) -> None:
    await uow.projection.note_member(event.cohort_id, event.beneficiary_id)
