"""Applications: a person put forward for a vacancy by their support provider (or the operator), decided by
the employer. Hiring someone makes their other open applications obsolete."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_propose, may_see_employer_side
from employment_service.domain.application import Application, hire
from employment_service.domain.vocabulary import RefusalReason, parse_code
from employment_service.service_layer import vacancies
from employment_service.service_layer.access import (
    ensure_reader,
    ensure_visible,
    ensure_writable,
    ensure_writer,
    viewer,
)
from employment_service.service_layer.errors import PersonNotOnPath
from employment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


async def propose(
    uow: EmploymentUnitOfWork, principal: Principal, vacancy_id: UUID, beneficiary_id: UUID
) -> Application:
    ensure_writer(principal)
    vacancy = await vacancies.get(uow, principal, vacancy_id)
    path = await uow.paths.get(beneficiary_id, lock=True)
    if path is None and principal.is_operator:
        raise PersonNotOnPath("this person is not known on the path here")
    if path is None or not may_propose(viewer(principal), path):
        raise NotFound("no such person among the people you support")
    application = Application.propose(vacancy, path)
    await uow.vacancies.add_application(application, principal.org_id)
    uow.audit(principal, "create", "application", application.id)
    return application


async def _for_employer(
    uow: EmploymentUnitOfWork, principal: Principal, application_id: UUID
) -> tuple[Application, bool, bool]:
    """The application, whether the caller is on the employer side, and whether it supports the person."""
    application = await uow.vacancies.application(application_id)
    if application is None:
        raise NotFound.of("application")
    vacancy = await uow.vacancies.get(application.vacancy_id)
    assert vacancy is not None
    org = await uow.employers.org_of(vacancy.employer_id)
    employer_side = may_see_employer_side(viewer(principal), org)
    path = await uow.paths.get(application.beneficiary_id)
    supporter = principal.org_kind is OrgKind.SUPPORT_PROVIDER and may_propose(viewer(principal), path)
    return application, employer_side, supporter


def _ensure_decides(principal: Principal, employer_side: bool, supporter: bool) -> None:
    """The employer side decides an application. The person's support provider sees it (so it is not a 404)
    but may only withdraw it."""
    ensure_visible(principal, employer_side or supporter, "application")
    if not employer_side:
        raise Forbidden("only the employer or the programme operator decides an application")
    ensure_writer(principal)


async def get(uow: EmploymentUnitOfWork, principal: Principal, application_id: UUID) -> Application:
    application, employer_side, supporter = await _for_employer(uow, principal, application_id)
    ensure_visible(principal, employer_side or supporter, "application")
    return application


async def invite(uow: EmploymentUnitOfWork, principal: Principal, application_id: UUID) -> Application:
    application, employer_side, supporter = await _for_employer(uow, principal, application_id)
    _ensure_decides(principal, employer_side, supporter)
    application.invite_to_interview()
    await uow.vacancies.save_application(application)
    uow.audit(principal, "interview", "application", application.id)
    return application


async def refuse(uow: EmploymentUnitOfWork, principal: Principal, application_id: UUID, reason: str) -> Application:
    application, employer_side, supporter = await _for_employer(uow, principal, application_id)
    _ensure_decides(principal, employer_side, supporter)
    publish(uow, application.refuse(parse_code(RefusalReason, reason, "reason"), datetime.now(UTC)))
    await uow.vacancies.save_application(application)
    uow.audit(principal, "refuse", "application", application.id, reason=reason)
    return application


async def withdraw(uow: EmploymentUnitOfWork, principal: Principal, application_id: UUID) -> Application:
    application, employer_side, supporter = await _for_employer(uow, principal, application_id)
    ensure_writable(principal, employer_side or supporter, "application")
    publish(uow, application.withdraw(datetime.now(UTC)))
    await uow.vacancies.save_application(application)
    uow.audit(principal, "withdraw", "application", application.id)
    return application


async def accept(uow: EmploymentUnitOfWork, principal: Principal, application_id: UUID) -> Application:
    application, employer_side, supporter = await _for_employer(uow, principal, application_id)
    _ensure_decides(principal, employer_side, supporter)
    vacancy = await uow.vacancies.get(application.vacancy_id, lock=True)
    assert vacancy is not None
    others = await uow.vacancies.open_applications_of(application.beneficiary_id)
    events = hire(application, vacancy, others, datetime.now(UTC))
    await uow.vacancies.save(vacancy)
    await uow.vacancies.save_application(application)
    for other in others:
        if other.id != application.id:
            await uow.vacancies.save_application(other)
    publish(uow, events)
    uow.audit(principal, "hire", "application", application.id)
    return application


async def page(
    uow: EmploymentUnitOfWork, principal: Principal, vacancy_id: UUID | None, after: UUID | None, limit: int
) -> list[Application]:
    ensure_reader(principal)
    if principal.is_operator:
        return await uow.vacancies.applications_page(vacancy_id, None, after, limit)
    if principal.org_kind is OrgKind.EMPLOYER:
        own = await uow.employers.page(principal.org_id, None, 1)
        if not own:
            return []
        return await uow.vacancies.applications_page(vacancy_id, own[0].id, after, limit)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not list applications")
