"""The employment service's app: ``uvicorn employment_service.main:create_app --factory``."""

from fastapi import FastAPI

from employment_service.adapters.tables import kit
from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.api import contracts, employers, outcomes, vacancies
from employment_service.events.incoming import CONSUMERS
from employment_service.settings import EmploymentSettings
from hopekit.app import ServiceDefinition, build_service_app


def create_app(settings: EmploymentSettings | None = None) -> FastAPI:
    settings = settings or EmploymentSettings()
    return build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE employment",
            description="Employers, vacancies, work-study contracts, outcomes and follow-ups.",
            kit_tables=kit,
            uow_class=EmploymentUnitOfWork,
            routers=[employers.router, vacancies.router, contracts.router, outcomes.router],
            consumers=CONSUMERS,
        )
    )
