"""Certificates of completion of a claim's people, from the hours the training service attested (the latest
sheets), and a claim's CSV export for a funder's own system."""

from __future__ import annotations

import csv
import io
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.certificate import CertificateOfCompletion, TrainingAction
from funding_service.domain.claim import Claim
from funding_service.domain.consumption import PersonHours
from funding_service.domain.errors import NotFound
from funding_service.service_layer import claims
from hope_contracts.vocabulary import OrgKind
from hopekit.identity.principal import Principal


async def _claim_for(uow: FundingUnitOfWork, principal: Principal, claim_id: UUID, beneficiary_id: UUID) -> Claim:
    """The claim, if the caller sees it, or if the caller trains this person (a training provider sees the
    certificates of its own trainees)."""
    if principal.org_kind is OrgKind.TRAINING_PROVIDER and principal.can_read():
        claim = await uow.claims.get(claim_id, only_of=beneficiary_id)
        cohort_id = await uow.projection.cohort_of(beneficiary_id)
        cohort = await uow.cohorts.get(cohort_id) if cohort_id is not None else None
        if claim is None or cohort is None or cohort.training_provider_org_id != principal.org_id:
            raise NotFound("certificate", beneficiary_id)
        return claim
    return await claims.get(uow, principal, claim_id, only_of=beneficiary_id)


async def of_person(
    uow: FundingUnitOfWork, principal: Principal, claim_id: UUID, beneficiary_id: UUID
) -> list[CertificateOfCompletion]:
    claim = await _claim_for(uow, principal, claim_id, beneficiary_id)
    if beneficiary_id not in {line.beneficiary_id for line in claim.lines}:
        raise NotFound("certificate", beneficiary_id)
    cohort_id = await uow.projection.cohort_of(beneficiary_id)
    cohort = await uow.cohorts.get(cohort_id) if cohort_id is not None else None
    certificates = []
    for (course_id, step), marks in (await uow.consumption.marks_of(beneficiary_id)).items():
        planned = movements.DEFAULT_STEP_HOURS.get(step)
        if planned is None:
            continue
        person = PersonHours(beneficiary_id, planned, {mark.session_id: mark for mark in marks})
        provider = (cohort.training_provider_org_id if cohort is not None else None) or UUID(int=0)
        # Training's events carry neither the course's title nor the provider's name (see PLAN.md, gaps).
        action = TrainingAction(course_id, step, f"Parcours HOPE, étape {step}", provider, str(provider))
        certificates.append(CertificateOfCompletion.of(person, action))
    if not certificates:
        raise NotFound("certificate", beneficiary_id)
    uow.audit(principal, "read-certificate", "beneficiary", beneficiary_id)
    return certificates


CSV_COLUMNS = (
    "claim_id",
    "agreement_id",
    "beneficiary_id",
    "budget_line_id",
    "cost_type",
    "claimed",
    "approved",
    "reason_code",
)


async def csv_export(uow: FundingUnitOfWork, principal: Principal, claim_id: UUID) -> str:
    claim = await claims.get(uow, principal, claim_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in claim.lines:
        writer.writerow(
            (
                claim.claim_id,
                claim.agreement_id,
                line.beneficiary_id,
                line.budget_line_id,
                line.cost_type.value,
                f"{line.claimed:.2f}",
                "" if line.approved is None else f"{line.approved:.2f}",
                line.reason_code or "",
            )
        )
    uow.audit(principal, "export", "claim", claim.claim_id)
    return out.getvalue()
