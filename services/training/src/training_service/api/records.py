"""/v1/assessments and /v1/qualifications, and a person's language profile."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse

from hopekit.api.idempotency import Idempotency, idempotency
from hopekit.api.security import authenticated
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.api.dependencies import unit_of_work
from training_service.api.record_schemas import (
    AssessmentRequest,
    AssessmentView,
    LanguageProfileView,
    QualificationRequest,
    QualificationView,
)
from training_service.service_layer import records

router = APIRouter(tags=["records"])

Caller = Annotated[Principal, Depends(authenticated)]
UoW = Annotated[TrainingUnitOfWork, Depends(unit_of_work)]
Key = Annotated[Idempotency, Depends(idempotency)]


def _assessment(row: Any) -> AssessmentView:
    return AssessmentView.model_validate(dict(row._mapping) if hasattr(row, "_mapping") else row)


@router.post("/v1/assessments", status_code=status.HTTP_201_CREATED, response_model=AssessmentView)
async def record_assessment(
    body: AssessmentRequest, principal: Caller, uow: UoW, key: Key
) -> AssessmentView | JSONResponse:
    async with uow:
        replayed = await key.replay(uow, principal)
        if replayed is not None:
            return replayed
        row = await records.record_assessment(
            uow,
            principal,
            records.AssessmentInput(
                beneficiary_id=body.beneficiary_id,
                course_id=body.course_id,
                skill=body.skill,
                level=body.level,
                test=body.test,
                assessed_on=body.assessed_on,
                assessing_org_id=body.assessing_org_id,
                evidence_reference=body.evidence_reference,
            ),
        )
        view = _assessment(row)
        await key.remember(uow, principal, status.HTTP_201_CREATED, view)
        await uow.commit()
    return view


@router.get("/v1/beneficiaries/{beneficiary_id}/language", response_model=LanguageProfileView)
async def language_profile(beneficiary_id: UUID, principal: Caller, uow: UoW) -> LanguageProfileView:
    async with uow:
        found = [_assessment(row) for row in await records.assessments(uow, principal, beneficiary_id)]
    latest = {assessment.skill: assessment for assessment in found}
    return LanguageProfileView(beneficiary_id=beneficiary_id, latest=latest, progression=found)


@router.post("/v1/qualifications", status_code=status.HTTP_201_CREATED, response_model=QualificationView)
async def record_qualification(
    body: QualificationRequest, principal: Caller, uow: UoW, key: Key
) -> QualificationView | JSONResponse:
    async with uow:
        replayed = await key.replay(uow, principal)
        if replayed is not None:
            return replayed
        row = await records.record_qualification(
            uow,
            principal,
            records.QualificationInput(
                beneficiary_id=body.beneficiary_id,
                course_id=body.course_id,
                certification_name=body.certification_name,
                rncp_code=body.rncp_code,
                result=body.result,
                awarded_on=body.awarded_on,
            ),
        )
        view = QualificationView.model_validate(row)
        await key.remember(uow, principal, status.HTTP_201_CREATED, view)
        await uow.commit()
    return view


@router.get("/v1/beneficiaries/{beneficiary_id}/qualifications", response_model=list[QualificationView])
async def list_qualifications(beneficiary_id: UUID, principal: Caller, uow: UoW) -> list[QualificationView]:
    async with uow:
        found = await records.qualifications(uow, principal, beneficiary_id)
    return [QualificationView.model_validate(dict(row._mapping)) for row in found]
