"""Language assessments (CEFR) and qualifications."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from hope_contracts import training as contract
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.vocabulary import CefrLevel, LanguageTest, QualificationResult, Skill
from training_service.service_layer import access, courses


async def _ensure_may_record(
    uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID, course_id: UUID | None, *, ofii_may: bool
) -> None:
    """OFII attests language levels (step 1's A1) but awards no qualification: those come from step 4."""
    if not principal.can_write():
        raise Forbidden("recording needs the writer or admin role")
    if course_id is not None:
        await courses.load(uow, principal, course_id, write=True)
    # Nothing new is kept about a person enrolment erased (the erasure deleted what training held).
    await access.ensure_not_erased(uow, beneficiary_id)
    if principal.is_operator:
        return
    if principal.org_kind is OrgKind.IMMIGRATION_OFFICE and ofii_may:
        # Enrolment's rule: an office deals with the people it registered only.
        if await access.is_registering_office(uow, principal, beneficiary_id):
            return
        raise Forbidden("an immigration office records this only for the people it registered")
    if principal.org_kind is OrgKind.TRAINING_PROVIDER and await access.provides_for(
        uow, principal.org_id, beneficiary_id
    ):
        return
    others = "OFII or the operator" if ofii_may else "the operator"
    raise Forbidden(f"only the person's training provider or {others} records this")


@dataclass(frozen=True)
class AssessmentInput:
    beneficiary_id: UUID
    course_id: UUID | None
    skill: Skill
    level: CefrLevel
    test: LanguageTest
    assessed_on: date
    evidence_reference: str | None


async def record_assessment(uow: TrainingUnitOfWork, principal: Principal, given: AssessmentInput) -> dict[str, Any]:
    """The assessing organisation is the caller's own: nobody records an assessment in another's name."""
    await _ensure_may_record(uow, principal, given.beneficiary_id, given.course_id, ofii_may=True)
    now, record_id = datetime.now(UTC), uuid.uuid4()
    row = {
        "id": record_id,
        "beneficiary_id": given.beneficiary_id,
        "course_id": given.course_id,
        "skill": given.skill.value,
        "level": given.level.value,
        "test": given.test.value,
        "assessed_on": given.assessed_on,
        "assessing_org_id": principal.org_id,
        "evidence_reference": given.evidence_reference,
        "recorded_at": now,
        "recorded_by_org_id": principal.org_id,
    }
    await uow.records.add_assessment(row)
    uow.publish(
        contract.LanguageLevelAttested(
            assessment_id=record_id,
            beneficiary_id=given.beneficiary_id,
            skill=given.skill.value,
            level=given.level.value,
            test=given.test.value,
            assessed_on=given.assessed_on,
            assessing_org_id=principal.org_id,
            occurred_at=now,
        )
    )
    uow.audit(principal, "create", "assessment", record_id)
    return row


async def assessments(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> list[Any]:
    await access.ensure_may_read_person(uow, principal, beneficiary_id)
    return await uow.records.assessments(beneficiary_id)


@dataclass(frozen=True)
class QualificationInput:
    beneficiary_id: UUID
    course_id: UUID | None
    certification_name: str
    rncp_code: str
    result: QualificationResult
    awarded_on: date


async def record_qualification(
    uow: TrainingUnitOfWork, principal: Principal, given: QualificationInput
) -> dict[str, Any]:
    await _ensure_may_record(uow, principal, given.beneficiary_id, given.course_id, ofii_may=False)
    now, record_id = datetime.now(UTC), uuid.uuid4()
    row = {
        "id": record_id,
        "beneficiary_id": given.beneficiary_id,
        "course_id": given.course_id,
        "certification_name": given.certification_name,
        "rncp_code": given.rncp_code,
        "result": given.result.value,
        "awarded_on": given.awarded_on,
        "recorded_at": now,
        "recorded_by_org_id": principal.org_id,
    }
    await uow.records.add_qualification(row)
    uow.publish(
        contract.QualificationAwarded(
            qualification_id=record_id,
            beneficiary_id=given.beneficiary_id,
            course_id=given.course_id,
            rncp_code=given.rncp_code,
            result=given.result.value,
            awarded_on=given.awarded_on,
            occurred_at=now,
        )
    )
    uow.audit(principal, "create", "qualification", record_id)
    return row


async def qualifications(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> list[Any]:
    await access.ensure_may_read_person(uow, principal, beneficiary_id)
    return await uow.records.qualifications(beneficiary_id)
