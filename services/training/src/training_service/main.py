"""The training service's app: ``uvicorn training_service.main:create_app --factory``."""

from typing import Any

from fastapi import FastAPI

from hopekit.app import ServiceDefinition, build_service_app
from training_service.adapters.tables import kit
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.api import alerts, attendance, courses, records
from training_service.domain import errors as domain
from training_service.events.incoming import CONSUMERS
from training_service.service_layer import errors as service
from training_service.service_layer.imports import FileRejected
from training_service.settings import TrainingSettings

DOMAIN_ERRORS: dict[type[Exception], int] = {
    service.NotFound: 404,
    service.Forbidden: 403,
    domain.CourseConflict: 409,
    domain.CompletionRefused: 409,
    domain.AlertAlreadyResolved: 409,
    domain.NotInCourse: 409,
    domain.HoursAboveSession: 422,
    domain.SessionOutsideCourse: 422,
    domain.InvalidValue: 422,
    FileRejected: 422,
}


def describe(error: Exception) -> dict[str, Any]:
    match error:
        case domain.InvalidValue():
            return {"errors": [{"field": field, "message": reason} for field, reason in error.refusals]}
        case domain.CompletionRefused():
            return {"attended_hours": str(error.attended), "planned_hours": str(error.planned)}
        case domain.AlertAlreadyResolved():
            return {"resolved_at": error.resolved_at.isoformat()}
        case domain.NotInCourse():
            return {"reason": error.reason, "beneficiary_id": str(error.beneficiary_id)}
        case FileRejected():
            return {"reason": error.reason, **error.facts}
    return {}


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
            domain_errors=DOMAIN_ERRORS,
            describe_error=describe,
            consumers=CONSUMERS,
            large_body_paths={"/v1/attendance-imports": settings.import_max_bytes},
        )
    )
