"""Who may see and change which course (DESIGN §2).

- the programme operator reads everything and writes everything;
- a training provider reads and writes only the courses it delivers, and the people in them;
- OFII (immigration office) records step-1 hours and language assessments;
- other organisations (employers, support providers, France Travail) have no business here.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal
from training_service.adapters.projection import CohortView
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.course import Course
from training_service.domain.vocabulary import Step


def sees(principal: Principal, course: Course) -> bool:
    if principal.is_operator:
        return True
    if principal.org_kind is OrgKind.TRAINING_PROVIDER:
        return course.provider_org_id == principal.org_id
    return principal.org_kind is OrgKind.IMMIGRATION_OFFICE and course.step is Step.PREREQUISITES


def ensure_may_read(principal: Principal, course: Course) -> None:
    if not principal.can_read() or not sees(principal, course):
        raise NotFound("no such course")


@dataclass(frozen=True)
class ListScope:
    """What a list may show the caller: None means no restriction on that column."""

    provider_org_id: UUID | None
    step: Step | None


def list_scope(principal: Principal) -> ListScope:
    """The courses (and their alerts) a caller may list; Forbidden for those who may list none."""
    if not principal.can_read():
        raise Forbidden("listing needs the reader, writer or admin role")
    if principal.is_operator:
        return ListScope(provider_org_id=None, step=None)
    if principal.org_kind is OrgKind.TRAINING_PROVIDER:
        return ListScope(provider_org_id=principal.org_id, step=None)
    if principal.org_kind is OrgKind.IMMIGRATION_OFFICE:
        return ListScope(provider_org_id=None, step=Step.PREREQUISITES)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} has no access to training records")


def ensure_may_write(principal: Principal, course: Course) -> None:
    ensure_may_read(principal, course)
    if not principal.can_write():
        raise Forbidden("recording needs the writer or admin role")


def ensure_may_create(principal: Principal, course: Course, cohort: CohortView | None) -> None:
    if not principal.can_write():
        raise Forbidden("creating a course needs the writer or admin role")
    if principal.is_operator:
        return
    if principal.org_kind is OrgKind.IMMIGRATION_OFFICE and course.step is Step.PREREQUISITES:
        return
    if principal.org_kind is OrgKind.TRAINING_PROVIDER and course.provider_org_id == principal.org_id:
        if cohort is None or cohort.training_provider_org_id == principal.org_id:
            return
        raise Forbidden("this cohort is trained by another provider")
    raise Forbidden("courses are opened by the operator, their training provider, or OFII for step 1")


async def ensure_may_read_person(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> None:
    await person_courses(uow, principal, beneficiary_id)


async def person_courses(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> list[Course]:
    """The person's courses that the caller may see; NotFound when the caller may not see the person at all
    (a provider must deliver one of the person's courses)."""
    if not principal.can_read():
        raise NotFound("no such beneficiary")
    found = await courses_of_person(uow, beneficiary_id)
    may_read = principal.is_operator or principal.org_kind is OrgKind.IMMIGRATION_OFFICE
    if not may_read and principal.org_kind is OrgKind.TRAINING_PROVIDER:
        may_read = any(course.provider_org_id == principal.org_id for course in found)
    if not may_read:
        raise NotFound("no such beneficiary")
    return [course for course in found if sees(principal, course)]


async def provides_for(uow: TrainingUnitOfWork, org_id: UUID, beneficiary_id: UUID) -> bool:
    return any(course.provider_org_id == org_id for course in await courses_of_person(uow, beneficiary_id))


async def courses_of_person(uow: TrainingUnitOfWork, beneficiary_id: UUID) -> list[Course]:
    person = await uow.projection.participant(beneficiary_id)
    return await uow.courses.courses_of(beneficiary_id, person.cohort_ids if person is not None else frozenset())
