"""The reporting service's app: ``uvicorn reporting_service.main:create_app --factory``."""

from fastapi import FastAPI

from hopekit.app import ServiceDefinition, build_service_app
from hopekit.jobs import ScheduledJob
from reporting_service.adapters.tables import kit
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.api import exports, indicators, risks
from reporting_service.events.incoming import CONSUMERS
from reporting_service.service_layer.summaries_job import sum_due_cohorts
from reporting_service.settings import ReportingSettings


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    return build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE reporting",
            description="Read models built from every event, the programme's indicators, safe exports.",
            kit_tables=kit,
            uow_class=ReportingUnitOfWork,
            routers=[indicators.router, exports.router, risks.router],
            consumers=CONSUMERS,
            scheduled=[ScheduledJob("summaries", settings.summary_interval_s, sum_due_cohorts)],
        )
    )
