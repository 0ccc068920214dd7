"""/v1/assessments and /v1/qualifications, and a person's language profile."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from training_service.api.dependencies import UoW
from training_service.api.record_schemas import (
    AssessmentRequest,
    AssessmentView,
    LanguageProfileView,
    QualificationRequest,
    QualificationView,
)
from training_service.service_layer import records

router = service_router(tags=["records"])


def _assessment(row: Any) -> AssessmentView:
    return AssessmentView.model_validate(dict(row._mapping) if hasattr(row, "_mapping") else row)


@router.post(
    "/v1/assessments", status_code=status.HTTP_201_CREATED, response_model=AssessmentView, dependencies=[IDEMPOTENT]
)
async def record_assessment(body: AssessmentRequest, principal: Caller, uow: UoW) -> AssessmentView:
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
            evidence_reference=body.evidence_reference,
        ),
    )
    view = _assessment(row)
    return view


@router.get("/v1/beneficiaries/{beneficiary_id}/language", response_model=LanguageProfileView)
async def language_profile(beneficiary_id: UUID, principal: Caller, uow: UoW) -> LanguageProfileView:
    found = [_assessment(row) for row in await records.assessments(uow, principal, beneficiary_id)]
    latest = {assessment.skill: assessment for assessment in found}
    return LanguageProfileView(beneficiary_id=beneficiary_id, latest=latest, progression=found)


@router.post(
    "/v1/qualifications",
    status_code=status.HTTP_201_CREATED,
    response_model=QualificationView,
    dependencies=[IDEMPOTENT],
)
async def record_qualification(body: QualificationRequest, principal: Caller, uow: UoW) -> QualificationView:
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
    return view


@router.get("/v1/beneficiaries/{beneficiary_id}/qualifications", response_model=list[QualificationView])
async def list_qualifications(beneficiary_id: UUID, principal: Caller, uow: UoW) -> list[QualificationView]:
    found = await records.qualifications(uow, principal, beneficiary_id)
    return [QualificationView.model_validate(dict(row._mapping)) for row in found]
