"""Who may see and change which course (DESIGN §2).

- the programme operator reads everything and writes everything;
- a training provider reads and writes only the courses it delivers, and the people in them;
- OFII (immigration office) records step-1 hours and language assessments, and reads the training records
  (ledger, language profile, qualifications) of the people it registered only, as in enrolment;
- other organisations (employers, support providers, France Travail) have no business here.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from hope_contracts.vocabulary import OrgKind
from hopekit.cohorts import Cohort
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.course import Course
from training_service.domain.errors import InvalidValue
from training_service.domain.vocabulary import Step


def sees(principal: Principal, course: Course) -> bool:
    if principal.is_operator:
        return True
    if principal.org_kind is OrgKind.TRAINING_PROVIDER:
        return course.provider_org_id == principal.org_id
    return principal.org_kind is OrgKind.IMMIGRATION_OFFICE and course.step is Step.PREREQUISITES


def ensure_may_read(principal: Principal, course: Course) -> None:
    if not principal.can_read() or not sees(principal, course):
        raise NotFound.of("course")


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


async def ensure_may_create(uow: TrainingUnitOfWork, principal: Principal, course: Course) -> None:
    """A course attaches its provider to people: the provider must be the one enrolment named for them.

    A cohort's course goes to the cohort's training provider; a person's course at step 3 or 4 to the provider
    of the individual-track cohort enrolment placed them in ("the path names it"). A cohort training has not
    heard of is refused (422): enrolment announces every cohort it creates, so the id is wrong or not yet known.
    Step 1 courses are OFII's, delivered by the language schools it contracts.
    """
    if not principal.can_write():
        raise Forbidden("creating a course needs the writer or admin role")
    cohort: Cohort | None = None
    if course.cohort_id is not None:
        cohort = await uow.cohorts.get(course.cohort_id)
        if cohort is None:
            raise InvalidValue("cohort_id", "no such cohort is known to training (enrolment announces each cohort)")
    is_provider = principal.org_kind is OrgKind.TRAINING_PROVIDER and course.provider_org_id == principal.org_id
    if principal.org_kind is OrgKind.IMMIGRATION_OFFICE and course.step is Step.PREREQUISITES:
        return
    if not (principal.is_operator or is_provider):
        raise Forbidden("courses are opened by the operator, their training provider, or OFII for step 1")
    if cohort is not None and cohort.training_provider_org_id != course.provider_org_id:
        if is_provider:
            raise Forbidden("this cohort is trained by another provider")
        raise InvalidValue("provider_org_id", "must be the cohort's training provider")
    if course.beneficiary_id is not None and course.step is not Step.PREREQUISITES:
        named = await uow.projection.individual_providers(course.beneficiary_id)
        if course.provider_org_id not in named:
            if is_provider:
                raise Forbidden("this person's individual path names another training provider")
            raise InvalidValue("provider_org_id", "must be the training provider the person's individual path names")


async def is_registering_office(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> bool:
    """Enrolment's rule (enrolment_service.service_layer.access): an immigration office deals with the people it
    registered only. True when the caller is that office; False for any other immigration office."""
    return await uow.projection.registered_by(beneficiary_id) == principal.org_id


async def ensure_may_read_person(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> None:
    await person_courses(uow, principal, beneficiary_id)


async def ensure_not_erased(uow: TrainingUnitOfWork, beneficiary_id: UUID) -> None:
    """A person erased in enrolment is not found here either: a read of them is a 404, as in every service, not
    an empty record that looks like someone with no training yet."""
    if await uow.projection.is_erased(beneficiary_id):
        raise NotFound.of("beneficiary")


async def person_courses(uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> list[Course]:
    """The person's courses that the caller may see; NotFound when the caller may not see the person at all
    (a provider must deliver one of the person's courses)."""
    if not principal.can_read():
        raise NotFound.of("beneficiary")
    await ensure_not_erased(uow, beneficiary_id)
    found = await courses_of_person(uow, beneficiary_id)
    may_read = principal.is_operator
    if principal.org_kind is OrgKind.IMMIGRATION_OFFICE:
        may_read = await is_registering_office(uow, principal, beneficiary_id)
    if not may_read and principal.org_kind is OrgKind.TRAINING_PROVIDER:
        may_read = any(course.provider_org_id == principal.org_id for course in found)
    if not may_read:
        raise NotFound.of("beneficiary")
    return [course for course in found if sees(principal, course)]


async def provides_for(uow: TrainingUnitOfWork, org_id: UUID, beneficiary_id: UUID) -> bool:
    return any(course.provider_org_id == org_id for course in await courses_of_person(uow, beneficiary_id))


async def ensure_may_read_cohort(uow: TrainingUnitOfWork, principal: Principal, cohort_id: UUID) -> None:
    """A cohort training does not know, or one the caller does not train, is not found: its ledger is not an
    empty list."""
    cohort = await uow.cohorts.get(cohort_id)
    trains = (
        cohort is not None
        and principal.org_kind is OrgKind.TRAINING_PROVIDER
        and cohort.training_provider_org_id == principal.org_id
    )
    if cohort is None or not principal.can_read() or not (principal.is_operator or trains):
        raise NotFound.of("cohort")


async def courses_of_person(uow: TrainingUnitOfWork, beneficiary_id: UUID) -> list[Course]:
    person = await uow.projection.participant(beneficiary_id)
    return await uow.courses.courses_of(beneficiary_id, person.cohort_ids if person is not None else frozenset())
