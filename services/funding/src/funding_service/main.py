"""The funding service's app: ``uvicorn funding_service.main:create_app --factory``."""

from datetime import UTC, datetime

from fastapi import FastAPI

from funding_service.adapters.tables import kit
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.api import agreements, claims, commitments, funders, money, plans, support_costs
from funding_service.events.incoming import CONSUMERS
from funding_service.service_layer.support_months import count_open_files
from funding_service.settings import FundingSettings
from hopekit.app import ServiceDefinition, build_service_app
from hopekit.jobs import ScheduledJob
from hopekit.uow import Database


async def count_support_months(database: Database) -> int:
    """The scheduled count: every open support file through the current month (UTC)."""
    return await count_open_files(database, datetime.now(UTC).date())


def create_app(settings: FundingSettings | None = None) -> FastAPI:
    settings = settings or FundingSettings()
    return build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE funding",
            description=(
                "Funders, agreements and budget lines, financing plans, a double-entry ledger of commitments, "
                "consumption, claims and payments, and one view of the money."
            ),
            kit_tables=kit,
            uow_class=FundingUnitOfWork,
            routers=[
                funders.router,
                agreements.router,
                plans.router,
                commitments.router,
                money.router,
                claims.router,
                support_costs.router,
            ],
            consumers=CONSUMERS,
            scheduled=[ScheduledJob("support-months", settings.support_count_interval_s, count_support_months)],
        )
    )
