"""Enrolment's cohorts and their members, kept to find a person's financing plan and a cohort's money."""

from __future__ import annotations

from funding_service.adapters.projection import CohortView
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from hope_contracts import enrolment


async def note_cohort(uow: FundingUnitOfWork, event: enrolment.CohortCreated) -> None:
    await uow.projection.note_cohort(
        CohortView(
            event.cohort_id,
            event.sector_code,
            event.region,
            event.track,
            event.training_provider_org_id,
            event.support_provider_org_id,
        )
    )


async def note_member(uow: FundingUnitOfWork, event: enrolment.CohortMemberAdded) -> None:
    await uow.projection.note_member(event.cohort_id, event.beneficiary_id)
