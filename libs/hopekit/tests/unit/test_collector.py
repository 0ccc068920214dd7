"""Once a service has started, its startup objects are out of the collector's reach and the collector runs at the
kit's thresholds (``hopekit.app``)."""

from __future__ import annotations

import gc
from pathlib import Path

from sqlalchemy import MetaData

from hopekit.app import COLLECTOR_THRESHOLDS, ServiceDefinition, build_service_app
from hopekit.db.kit_tables import add_kit_tables
from hopekit.settings import ServiceSettings
from hopekit.testing import running
from hopekit.uow import UnitOfWork


async def test_a_started_service_freezes_its_startup_objects_and_collects_less_often(tmp_path: Path) -> None:
    settings = ServiceSettings(service_name="svc", var_dir=tmp_path, log_json=False)
    definition = ServiceDefinition(
        settings=settings,
        title="svc",
        description="a service",
        kit_tables=add_kit_tables(MetaData()),
        uow_class=UnitOfWork,
        routers=[],
    )
    async with running(build_service_app(definition)):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
        assert COLLECTOR_THRESHOLDS[0] > 700  # CPython's young generation threshold: a collection every few requests
