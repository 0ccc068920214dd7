"""Once a service has started, its startup objects are out of the collector's reach and the collector runs at the
kit's thresholds (``hopekit.app``)."""

from __future__ import annotations

import gc
from pathlib import Path

from hopekit.app import COLLECTOR_THRESHOLDS
from hopekit.settings import ServiceSettings
from hopekit.testing import running

from .fakes import bare_service


async def test_a_started_service_freezes_its_startup_objects_and_collects_less_often(tmp_path: Path) -> None:
    async with running(bare_service(ServiceSettings(service_name="svc", var_dir=tmp_path, log_json=False))):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
        assert COLLECTOR_THRESHOLDS[0] > 700  # CPython's young generation threshold: a collection every few requests
