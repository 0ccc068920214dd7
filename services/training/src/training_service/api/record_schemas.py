"""Language assessments (CEFR) and qualifications (RNCP)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field

from hopekit.api.schemas import Reference, RequestModel, ResponseModel, Title
from training_service.domain.vocabulary import CefrLevel, LanguageTest, QualificationResult, Skill


class AssessmentRequest(RequestModel):
    beneficiary_id: UUID
    course_id: UUID | None = None
    skill: Skill = Skill.OVERALL
    level: CefrLevel
    test: LanguageTest
    assessed_on: date
    # No assessing organisation here: it is the caller's own (a request field let a provider write in another's name).
    evidence_reference: Reference | None = None


class AssessmentView(ResponseModel):
    id: UUID
    beneficiary_id: UUID
    course_id: UUID | None
    skill: str
    level: str
    test: str
    assessed_on: date
    assessing_org_id: UUID
    evidence_reference: str | None


class LanguageProfileView(ResponseModel):
    beneficiary_id: UUID
    latest: dict[str, AssessmentView] = Field(description="The latest assessment per skill.")
    progression: list[AssessmentView] = Field(description="Every assessment, oldest first.")


class QualificationRequest(RequestModel):
    beneficiary_id: UUID
    course_id: UUID | None = None
    certification_name: Title
    rncp_code: Annotated[str, Field(pattern=r"^RNCP\d{1,6}$", description="e.g. RNCP35019")]
    result: QualificationResult
    awarded_on: date


class QualificationView(ResponseModel):
    id: UUID
    beneficiary_id: UUID
    course_id: UUID | None
    certification_name: str
    rncp_code: str
    result: str
    awarded_on: date
