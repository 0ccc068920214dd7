"""The enrolment service's app: ``uvicorn enrolment_service.main:create_app --factory``."""

from fastapi import FastAPI

from enrolment_service.adapters.tables import kit
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.api import beneficiaries, cohorts, pathway, reference
from enrolment_service.api.links import install_links
from enrolment_service.events.incoming import CONSUMERS
from enrolment_service.settings import EnrolmentSettings
from hopekit.app import ServiceDefinition, build_service_app


def create_app(settings: EnrolmentSettings | None = None) -> FastAPI:
    app = build_service_app(
        ServiceDefinition(
            settings=settings or EnrolmentSettings(),
            title="HOPE enrolment",
            description="Beneficiaries, consent, the pathway, cohorts and sector choice. "
            "The only service that holds identity data.",
            kit_tables=kit,
            uow_class=EnrolmentUnitOfWork,
            routers=[beneficiaries.router, pathway.router, cohorts.router, reference.router],
            consumers=CONSUMERS,
        )
    )
    install_links(app)
    return app
