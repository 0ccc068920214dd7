"""The training service's app: ``uvicorn training_service.main:create_app --factory``."""

from fastapi import FastAPI

from hopekit.app import ServiceDefinition, build_service_app
from training_service.adapters.tables import kit
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.api import alerts, attendance, courses, records
from training_service.events.incoming import CONSUMERS
from training_service.settings import TrainingSettings


def create_app(settings: TrainingSettings | None = None) -> FastAPI:
    settings = settings or TrainingSettings()
    return build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE training",
            description="Courses, sessions, attendance, the hours ledger, language levels and qualifications.",
            kit_tables=kit,
            uow_class=TrainingUnitOfWork,
            routers=[courses.router, attendance.router, alerts.router, records.router],
            consumers=CONSUMERS,
            large_body_paths={"/v1/attendance-imports": settings.import_max_bytes},
        )
    )
