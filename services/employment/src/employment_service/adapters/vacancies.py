"""Vacancies and the applications to them in the database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from employment_service.adapters.locking import locked
from employment_service.adapters.tables import applications, vacancies
from employment_service.domain.application import Application
from employment_service.domain.errors import IllegalTransition
from employment_service.domain.vacancy import Vacancy
from employment_service.domain.vocabulary import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    ContractType,
    RefusalReason,
    VacancyStatus,
)
from hopekit.db.keyset import after_key


def _vacancy(row: Any) -> Vacancy:
    return Vacancy(
        id=row.id,
        employer_id=row.employer_id,
        establishment_id=row.establishment_id,
        department_code=row.department_code,
        region_code=row.region_code,
        rome_code=row.rome_code,
        sector_code=row.sector_code,
        positions=row.positions,
        hours_per_week=Decimal(row.hours_per_week),
        starts_on=row.starts_on,
        contract_type=ContractType(row.contract_type),
        status=VacancyStatus(row.status),
        hired=row.hired,
    )


def _application(row: Any) -> Application:
    return Application(
        id=row.id,
        vacancy_id=row.vacancy_id,
        beneficiary_id=row.beneficiary_id,
        status=ApplicationStatus(row.status),
        refusal_reason=RefusalReason(row.refusal_reason) if row.refusal_reason else None,
        decided_at=row.decided_at,
    )


class VacancyRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, vacancy: Vacancy, at: datetime) -> None:
        await self._connection.execute(
            insert(vacancies).values(
                id=vacancy.id,
                employer_id=vacancy.employer_id,
                establishment_id=vacancy.establishment_id,
                rome_code=vacancy.rome_code,
                sector_code=vacancy.sector_code,
                department_code=vacancy.department_code,
                region_code=vacancy.region_code,
                positions=vacancy.positions,
                hired=vacancy.hired,
                hours_per_week=vacancy.hours_per_week,
                starts_on=vacancy.starts_on,
                contract_type=vacancy.contract_type.value,
                status=vacancy.status.value,
                published_at=at,
            )
        )

    async def get(self, vacancy_id: UUID, *, lock: bool = False) -> Vacancy | None:
        where = vacancies.c.id == vacancy_id
        query = select(vacancies).where(where)
        if lock:  # hires on the same vacancy are serialised so `hired` never passes `positions`
            query = await locked(self._connection, query, vacancies, where)
        row = (await self._connection.execute(query)).first()
        return _vacancy(row) if row is not None else None

    async def save(self, vacancy: Vacancy) -> None:
        await self._connection.execute(
            update(vacancies)
            .where(vacancies.c.id == vacancy.id)
            .values(status=vacancy.status.value, hired=vacancy.hired)
        )

    async def page(
        self,
        employer_id: UUID | None,
        status: VacancyStatus | None,
        sector_code: str | None,
        after: UUID | None,
        limit: int,
    ) -> list[Vacancy]:
        query = select(vacancies)
        if employer_id is not None:
            query = query.where(vacancies.c.employer_id == employer_id)
        if status is not None:
            query = query.where(vacancies.c.status == status.value)
        if sector_code is not None:
            query = query.where(vacancies.c.sector_code == sector_code)
        query = after_key(query, vacancies.c.id, after, limit)
        return [_vacancy(row) for row in await self._connection.execute(query)]

    async def open_positions(self, sector_code: str | None, region_code: str | None) -> list[Any]:
        query = (
            select(
                vacancies.c.sector_code,
                vacancies.c.region_code,
                func.sum(vacancies.c.positions - vacancies.c.hired).label("positions"),
            )
            .where(vacancies.c.status == VacancyStatus.OPEN.value)
            .group_by(vacancies.c.sector_code, vacancies.c.region_code)
        )
        if sector_code is not None:
            query = query.where(vacancies.c.sector_code == sector_code)
        if region_code is not None:
            query = query.where(vacancies.c.region_code == region_code)
        return list(await self._connection.execute(query))

    async def add_application(self, application: Application, proposed_by_org_id: UUID) -> None:
        try:
            await self._connection.execute(
                insert(applications).values(
                    id=application.id,
                    vacancy_id=application.vacancy_id,
                    beneficiary_id=application.beneficiary_id,
                    status=application.status.value,
                    proposed_by_org_id=proposed_by_org_id,
                )
            )
        except IntegrityError as error:
            raise IllegalTransition("application", "proposed", "propose again", ()) from error

    async def application(self, application_id: UUID) -> Application | None:
        row = (await self._connection.execute(select(applications).where(applications.c.id == application_id))).first()
        return _application(row) if row is not None else None

    async def save_application(self, application: Application) -> None:
        await self._connection.execute(
            update(applications)
            .where(applications.c.id == application.id)
            .values(
                status=application.status.value,
                refusal_reason=application.refusal_reason.value if application.refusal_reason else None,
                decided_at=application.decided_at,
            )
        )

    async def open_applications_of(self, beneficiary_id: UUID) -> list[Application]:
        query = select(applications).where(
            applications.c.beneficiary_id == beneficiary_id,
            applications.c.status.in_([s.value for s in OPEN_APPLICATION_STATUSES]),
        )
        return [_application(row) for row in await self._connection.execute(query)]

    async def applications_page(
        self, vacancy_id: UUID | None, employer_id: UUID | None, after: UUID | None, limit: int
    ) -> list[Application]:
        query = select(applications)
        if vacancy_id is not None:
            query = query.where(applications.c.vacancy_id == vacancy_id)
        if employer_id is not None:
            query = query.where(
                applications.c.vacancy_id.in_(select(vacancies.c.id).where(vacancies.c.employer_id == employer_id))
            )
        query = after_key(query, applications.c.id, after, limit)
        return [_application(row) for row in await self._connection.execute(query)]

    async def delete_applications_of(self, beneficiary_id: UUID) -> None:
        await self._connection.execute(delete(applications).where(applications.c.beneficiary_id == beneficiary_id))
