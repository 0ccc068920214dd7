"""Vacancies: published and closed by their employer (or the operator); read by them, and open ones by the
support providers who propose people for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_see_employer_side
from employment_service.domain.vacancy import Vacancy
from employment_service.domain.vocabulary import ContractType, VacancyStatus, parse_code
from employment_service.service_layer.access import ensure_reader, ensure_visible, ensure_writable, viewer
from employment_service.service_layer.employers import writable_employer
from employment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden
from hopekit.identity.principal import Principal


@dataclass(frozen=True)
class VacancyForm:
    employer_id: UUID
    establishment_id: UUID
    rome_code: str
    sector_code: str
    positions: int
    hours_per_week: Decimal
    starts_on: date
    contract_type: str


async def publish_vacancy(uow: EmploymentUnitOfWork, principal: Principal, form: VacancyForm) -> Vacancy:
    employer = await writable_employer(uow, principal, form.employer_id)
    vacancy, events = Vacancy.publish(
        establishment=employer.establishment(form.establishment_id),
        rome=form.rome_code,
        sector_code=form.sector_code,
        positions=form.positions,
        hours_per_week=form.hours_per_week,
        starts_on=form.starts_on,
        contract_type=parse_code(ContractType, form.contract_type, "contract_type"),
        at=datetime.now(UTC),
    )
    await uow.vacancies.add(vacancy, datetime.now(UTC))
    publish(uow, events)
    uow.audit(principal, "create", "vacancy", vacancy.id)
    return vacancy


def _sees(principal: Principal, vacancy: Vacancy, employer_org_id: UUID | None) -> bool:
    if may_see_employer_side(viewer(principal), employer_org_id):
        return True
    return principal.org_kind is OrgKind.SUPPORT_PROVIDER and vacancy.status is VacancyStatus.OPEN


async def get(uow: EmploymentUnitOfWork, principal: Principal, vacancy_id: UUID, *, lock: bool = False) -> Vacancy:
    vacancy = await uow.vacancies.get(vacancy_id, lock=lock)
    org = await uow.employers.org_of(vacancy.employer_id) if vacancy is not None else None
    ensure_visible(principal, vacancy is not None and _sees(principal, vacancy, org), "vacancy")
    assert vacancy is not None
    return vacancy


async def writable(uow: EmploymentUnitOfWork, principal: Principal, vacancy_id: UUID, *, lock: bool = False) -> Vacancy:
    vacancy = await get(uow, principal, vacancy_id, lock=lock)
    org = await uow.employers.org_of(vacancy.employer_id)
    if not may_see_employer_side(viewer(principal), org):
        raise Forbidden("only the employer or the operator changes a vacancy")
    ensure_writable(principal, True, "vacancy")
    return vacancy


async def close(uow: EmploymentUnitOfWork, principal: Principal, vacancy_id: UUID) -> Vacancy:
    vacancy = await writable(uow, principal, vacancy_id, lock=True)
    events = vacancy.close(datetime.now(UTC))
    await uow.vacancies.save(vacancy)
    publish(uow, events)
    uow.audit(principal, "close", "vacancy", vacancy.id)
    return vacancy


async def page(
    uow: EmploymentUnitOfWork,
    principal: Principal,
    status: str | None,
    sector_code: str | None,
    after: UUID | None,
    limit: int,
) -> list[Vacancy]:
    ensure_reader(principal)
    wanted = parse_code(VacancyStatus, status, "status") if status is not None else None
    if principal.is_operator:
        return await uow.vacancies.page(None, wanted, sector_code, after, limit)
    if principal.org_kind is OrgKind.EMPLOYER:
        own = await uow.employers.page(principal.org_id, None, 1)
        if not own:
            return []
        return await uow.vacancies.page(own[0].id, wanted, sector_code, after, limit)
    if principal.org_kind is OrgKind.SUPPORT_PROVIDER:
        if wanted not in (None, VacancyStatus.OPEN):
            return []
        return await uow.vacancies.page(None, VacancyStatus.OPEN, sector_code, after, limit)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not list vacancies")
