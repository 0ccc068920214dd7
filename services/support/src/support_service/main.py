"""The support service's app: ``uvicorn support_service.main:create_app --factory``."""

from fastapi import FastAPI

from hopekit.app import ServiceDefinition, build_service_app
from support_service.adapters.tables import kit
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.api import examples
from support_service.events.incoming import CONSUMERS
from support_service.settings import SupportSettings


def create_app(settings: SupportSettings | None = None) -> FastAPI:
    settings = settings or SupportSettings()
    return build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE support",
            description="What this service owns.",
            kit_tables=kit,
            uow_class=SupportUnitOfWork,
            routers=[examples.router],
            consumers=CONSUMERS,
        )
    )
