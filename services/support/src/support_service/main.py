"""The support service's app: ``uvicorn support_service.main:create_app --factory``."""

from fastapi import FastAPI

from hopekit.app import ServiceDefinition, build_service_app
from support_service.adapters.tables import kit
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.api import catering, files, gaps, housing, needs, notes, referrals, worklists
from support_service.events.incoming import CONSUMERS
from support_service.settings import SupportSettings


def create_app(settings: SupportSettings | None = None) -> FastAPI:
    settings = settings or SupportSettings()
    app = build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE support",
            description=(
                "Support files, needs, actions and referrals; case notes at three confidentiality levels, medical "
                "ones sealed at rest and read only with a stated, audited reason; residences, beds and placements; "
                "housing gaps; meals served and their monthly reconciliation."
            ),
            kit_tables=kit,
            uow_class=SupportUnitOfWork,
            routers=[
                files.router,
                needs.router,
                notes.router,
                referrals.router,
                housing.router,
                gaps.router,
                worklists.router,
                catering.router,
            ],
            consumers=CONSUMERS,
        )
    )
    # Made once: the key-encryption key never leaves the process; None refuses medical data (503).
    app.state.envelope = settings.envelope()
    return app
