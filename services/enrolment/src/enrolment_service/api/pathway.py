"""/v1/beneficiaries/{id}/pathway: the state machine over HTTP."""

from __future__ import annotations

from uuid import UUID

from enrolment_service.api.dependencies import UoW
from enrolment_service.api.schemas import BeneficiaryView, PrerequisitesValidation, SectorChoice, TransitionRequest
from enrolment_service.domain.pathway import A1Attestation, PrerequisitesRecord
from enrolment_service.domain.vocabulary import PathwayAction
from enrolment_service.service_layer import pathway
from hopekit.api.problems import Problem
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(prefix="/v1/beneficiaries/{beneficiary_id}/pathway", tags=["pathway"])


@router.post("/transitions", response_model=BeneficiaryView)
async def transition(beneficiary_id: UUID, body: TransitionRequest, principal: Caller, uow: UoW) -> BeneficiaryView:
    """Illegal transitions are answered 409 with the actions allowed now. Step 4 starts once training reported
    step 3's hours done (or on an operator admin's waiver) and not before the cohort's step-4 start date:
    otherwise 409 ``step_not_ready`` naming every unmet condition."""
    if body.action is PathwayAction.WITHDRAW and body.withdrawal_reason is None:
        raise Problem(422, "withdrawal-reason-required", "Withdrawing needs a withdrawal_reason.")
    return BeneficiaryView.of(
        *await pathway.transition(
            uow,
            principal,
            beneficiary_id,
            PathwayAction(body.action),
            reason_code=body.reason_code,
            withdrawal_reason=body.withdrawal_reason,
            hours_waiver_reason=body.hours_waiver_reason,
        )
    )


@router.post("/prerequisites", response_model=BeneficiaryView)
async def validate_prerequisites(
    beneficiary_id: UUID, body: PrerequisitesValidation, principal: Caller, uow: UoW
) -> BeneficiaryView:
    """Step 1 validated: the OFII hours (200 to 600) and the A1 attestation."""
    record = PrerequisitesRecord(
        ofii_hours=body.ofii_hours,
        attestation=A1Attestation(
            attested_on=body.attestation.attested_on,
            test=body.attestation.test,
            evidence_reference=body.attestation.evidence_reference,
        ),
    )
    return BeneficiaryView.of(*await pathway.validate_prerequisites(uow, principal, beneficiary_id, record))


@router.put("/sector", response_model=BeneficiaryView)
async def choose_sector(beneficiary_id: UUID, body: SectorChoice, principal: Caller, uow: UoW) -> BeneficiaryView:
    return BeneficiaryView.of(*await pathway.choose_sector(uow, principal, beneficiary_id, body.sector_code))
