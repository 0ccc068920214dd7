"""Who may see and change which beneficiary (DESIGN.md §2).

- the programme operator (AKTO) sees and steers everyone;
- OFII sees the people it registered and records their step 1;
- a support provider sees the people of the cohorts it supports, with their contact details;
- a training provider sees the people of its own cohorts, without contact or OFII details;
- France Travail sees a person only with their consent to data sharing, in the reduced view;
- employers and reporting clients see no one here.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from enrolment_service.adapters.beneficiaries import BeneficiaryFilter
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.beneficiary import Beneficiary
from enrolment_service.domain.cohort import Cohort
from enrolment_service.domain.vocabulary import ConsentPurpose, PathwayAction
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


class View(StrEnum):
    FULL = "full"
    REDUCED = "reduced"


_PERSONAL_ROLES = (Role.ADMIN, Role.WRITER, Role.READER, Role.MEDICAL)

_ACTIONS_BY_KIND: dict[OrgKind, frozenset[PathwayAction]] = {
    OrgKind.PROGRAMME_OPERATOR: frozenset(PathwayAction),
    OrgKind.IMMIGRATION_OFFICE: frozenset(
        {PathwayAction.START_PREREQUISITES, PathwayAction.VALIDATE_PREREQUISITES, PathwayAction.WITHDRAW}
    ),
    OrgKind.TRAINING_PROVIDER: frozenset({PathwayAction.START_TRADE_QUALIFICATION, PathwayAction.COMPLETE}),
    OrgKind.SUPPORT_PROVIDER: frozenset({PathwayAction.PUT_ON_HOLD, PathwayAction.RESUME, PathwayAction.WITHDRAW}),
}


async def view_of(uow: EnrolmentUnitOfWork, principal: Principal, beneficiary: Beneficiary) -> View:
    """The view the caller gets of this person; NotFound when they may not see them at all."""
    if not principal.has_role(*_PERSONAL_ROLES):
        raise NotFound.of("beneficiary")
    kind = principal.org_kind
    if kind is OrgKind.PROGRAMME_OPERATOR:
        return View.FULL
    if kind is OrgKind.IMMIGRATION_OFFICE and beneficiary.registered_by_org_id == principal.org_id:
        return View.FULL
    cohort = await _cohort_of(uow, beneficiary)
    if cohort is not None:
        if kind is OrgKind.SUPPORT_PROVIDER and cohort.support_provider_org_id == principal.org_id:
            return View.FULL
        if kind is OrgKind.TRAINING_PROVIDER and cohort.training_provider_org_id == principal.org_id:
            return View.REDUCED
    if kind is OrgKind.PUBLIC_EMPLOYMENT and beneficiary.has_consent(ConsentPurpose.DATA_SHARING_WITH_PARTNERS):
        return View.REDUCED
    raise NotFound.of("beneficiary")


async def list_scope(uow: EnrolmentUnitOfWork, principal: Principal, criteria: BeneficiaryFilter) -> BeneficiaryFilter:
    """The caller's query narrowed to what they may see."""
    if not principal.has_role(*_PERSONAL_ROLES):
        raise Forbidden("your roles do not give access to beneficiaries")
    kind = principal.org_kind
    if kind is OrgKind.PROGRAMME_OPERATOR:
        return criteria
    if kind is OrgKind.IMMIGRATION_OFFICE:
        return replace(criteria, visible_registered_by=principal.org_id)
    if kind in (OrgKind.TRAINING_PROVIDER, OrgKind.SUPPORT_PROVIDER):
        served = await uow.cohorts.ids_served_by(
            principal.org_id,
            training=kind is OrgKind.TRAINING_PROVIDER,
            support=kind is OrgKind.SUPPORT_PROVIDER,
        )
        return replace(criteria, visible_cohort_ids=served)
    raise Forbidden("your organisation lists beneficiaries through its own service")


def list_view(principal: Principal) -> View:
    return View.REDUCED if principal.org_kind is OrgKind.TRAINING_PROVIDER else View.FULL


async def ensure_may_act(
    uow: EnrolmentUnitOfWork, principal: Principal, beneficiary: Beneficiary, action: PathwayAction
) -> None:
    await view_of(uow, principal, beneficiary)
    if not principal.can_write():
        raise Forbidden("changing a pathway needs the writer or admin role")
    if action not in _ACTIONS_BY_KIND.get(principal.org_kind, frozenset()):
        raise Forbidden(f"a {principal.org_kind.value} may not {action.value.replace('_', ' ')}")


async def ensure_may_record_consent(uow: EnrolmentUnitOfWork, principal: Principal, beneficiary: Beneficiary) -> None:
    if await view_of(uow, principal, beneficiary) is not View.FULL or not principal.can_write():
        raise Forbidden("consent is recorded by the operator, the registering office or the support provider")


async def ensure_may_erase(uow: EnrolmentUnitOfWork, principal: Principal, beneficiary: Beneficiary) -> None:
    await view_of(uow, principal, beneficiary)
    registrant = (
        principal.org_kind is OrgKind.IMMIGRATION_OFFICE and beneficiary.registered_by_org_id == principal.org_id
    )
    if not principal.has_role(Role.ADMIN) or not (principal.is_operator or registrant):
        raise Forbidden("erasure is requested by an admin of the operator or of the registering office")


def ensure_operator_writer(principal: Principal) -> None:
    if not principal.is_operator or not principal.can_write():
        raise Forbidden("only the programme operator's writers and admins may do this")


def ensure_may_read_cohort(principal: Principal, cohort: Cohort) -> None:
    if principal.is_operator and principal.can_read():
        return
    if principal.can_read() and principal.org_id in (cohort.training_provider_org_id, cohort.support_provider_org_id):
        return
    raise NotFound.of("cohort")


async def _cohort_of(uow: EnrolmentUnitOfWork, beneficiary: Beneficiary) -> Cohort | None:
    cohort_id = beneficiary.pathway.cohort_id
    return await uow.cohorts.get(cohort_id) if cohort_id is not None else None
