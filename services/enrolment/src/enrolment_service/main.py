"""The enrolment service's app: ``uvicorn enrolment_service.main:create_app --factory``."""

from typing import Any

from fastapi import FastAPI

from enrolment_service.adapters.tables import kit
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.api import beneficiaries, cohorts, pathway, reference
from enrolment_service.domain import errors as domain
from enrolment_service.service_layer import errors as service
from enrolment_service.settings import EnrolmentSettings
from hopekit.app import ServiceDefinition, build_service_app

DOMAIN_ERRORS: dict[type[Exception], int] = {
    service.NotFound: 404,
    service.Forbidden: 403,
    domain.DuplicateBeneficiary: 409,
    domain.IllegalTransition: 409,
    domain.PrerequisitesNotMet: 409,
    domain.CohortFull: 409,
    domain.NotEligibleForCohort: 409,
    domain.SectorFixedByCohort: 409,
    domain.AlreadyErased: 409,
    domain.UnknownSector: 422,
    domain.InvalidValue: 422,
}


def describe(error: Exception) -> dict[str, Any]:
    """The machine-readable details a partner needs to react to a refusal."""
    match error:
        case domain.IllegalTransition():
            return {"current_status": error.current, "allowed_actions": list(error.allowed)}
        case domain.DuplicateBeneficiary():
            return {"existing_id": str(error.existing_id)}
        case domain.InvalidValue():
            return {"errors": [{"field": field, "message": reason} for field, reason in error.refusals]}
        case domain.UnknownSector():
            return {"known_sectors": list(error.known)}
        case domain.CohortFull():
            return {"capacity": error.capacity}
    return {}


def create_app(settings: EnrolmentSettings | None = None) -> FastAPI:
    return build_service_app(
        ServiceDefinition(
            settings=settings or EnrolmentSettings(),
            title="HOPE enrolment",
            description="Beneficiaries, consent, the pathway, cohorts and sector choice. "
            "The only service that holds identity data.",
            kit_tables=kit,
            uow_class=EnrolmentUnitOfWork,
            routers=[beneficiaries.router, pathway.router, cohorts.router, reference.router],
            domain_errors=DOMAIN_ERRORS,
            describe_error=describe,
        )
    )
