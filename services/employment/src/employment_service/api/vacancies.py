"""/v1/vacancies and /v1/applications."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from employment_service.api.dependencies import RULE_NOT_MET, UNKNOWN_CODE, UoW
from employment_service.api.employers import Cursor, Limit
from employment_service.api.schemas import ApplicationIn, ApplicationView, RefusalIn, VacancyIn, VacancyView
from employment_service.service_layer import applications, vacancies
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["vacancies"])


@router.post(
    "/v1/vacancies", status_code=status.HTTP_201_CREATED, response_model=VacancyView, dependencies=[IDEMPOTENT]
)
async def publish_vacancy(body: VacancyIn, principal: Caller, uow: UoW) -> VacancyView:
    form = vacancies.VacancyForm(**body.model_dump())
    return VacancyView.of(await vacancies.publish_vacancy(uow, principal, form))


@router.get("/v1/vacancies", response_model=Page[VacancyView], responses=UNKNOWN_CODE)
async def list_vacancies(
    principal: Caller,
    uow: UoW,
    status: Annotated[str | None, Query(max_length=16)] = None,
    sector_code: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[VacancyView]:
    found = await vacancies.page(uow, principal, status, sector_code, after_id(cursor), limit + 1)
    return page_of(found, limit, VacancyView.of)


@router.get("/v1/vacancies/{vacancy_id}", response_model=VacancyView)
async def get_vacancy(vacancy_id: UUID, principal: Caller, uow: UoW) -> VacancyView:
    return VacancyView.of(await vacancies.get(uow, principal, vacancy_id))


@router.post("/v1/vacancies/{vacancy_id}/close", response_model=VacancyView)
async def close_vacancy(vacancy_id: UUID, principal: Caller, uow: UoW) -> VacancyView:
    return VacancyView.of(await vacancies.close(uow, principal, vacancy_id))


@router.post(
    "/v1/vacancies/{vacancy_id}/applications",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationView,
    dependencies=[IDEMPOTENT],
)
async def propose(vacancy_id: UUID, body: ApplicationIn, principal: Caller, uow: UoW) -> ApplicationView:
    """The person's support provider (or the operator) puts them forward; 409 if already proposed there."""
    return ApplicationView.of(await applications.propose(uow, principal, vacancy_id, body.beneficiary_id))


@router.get("/v1/applications", response_model=Page[ApplicationView])
async def list_applications(
    principal: Caller, uow: UoW, vacancy_id: UUID | None = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[ApplicationView]:
    found = await applications.page(uow, principal, vacancy_id, after_id(cursor), limit + 1)
    return page_of(found, limit, ApplicationView.of)


@router.get("/v1/applications/{application_id}", response_model=ApplicationView)
async def get_application(application_id: UUID, principal: Caller, uow: UoW) -> ApplicationView:
    return ApplicationView.of(await applications.get(uow, principal, application_id))


@router.post("/v1/applications/{application_id}/interview", response_model=ApplicationView)
async def invite(application_id: UUID, principal: Caller, uow: UoW) -> ApplicationView:
    return ApplicationView.of(await applications.invite(uow, principal, application_id))


@router.post("/v1/applications/{application_id}/hire", response_model=ApplicationView, responses=RULE_NOT_MET)
async def hire(application_id: UUID, principal: Caller, uow: UoW) -> ApplicationView:
    """Accepted after an interview: the vacancy takes one hire; the person's other open applications become
    obsolete."""
    return ApplicationView.of(await applications.accept(uow, principal, application_id))


@router.post("/v1/applications/{application_id}/refuse", response_model=ApplicationView)
async def refuse(application_id: UUID, body: RefusalIn, principal: Caller, uow: UoW) -> ApplicationView:
    return ApplicationView.of(await applications.refuse(uow, principal, application_id, body.reason))


@router.post("/v1/applications/{application_id}/withdraw", response_model=ApplicationView)
async def withdraw(application_id: UUID, principal: Caller, uow: UoW) -> ApplicationView:
    return ApplicationView.of(await applications.withdraw(uow, principal, application_id))
