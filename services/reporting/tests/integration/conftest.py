"""HOPE reporting running in-process against a fresh, migrated database: a SQLite file, then a real PostgreSQL.

The platform's test plugin (hope_infra.testing) gives ``database_url``, ``postgres_url``, ``issuer`` and
``client``, and ``database`` and ``deliver`` to hand it other services' events."""

from __future__ import annotations

from pathlib import Path

import pytest

from hope_infra.testing import ServiceUnderTest
from reporting_service.adapters.tables import kit
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS
from reporting_service.main import create_app
from reporting_service.settings import ReportingSettings

SERVICE = ServiceUnderTest(
    "reporting",
    Path(__file__).resolve().parents[2],
    ReportingSettings,
    create_app,
    kit,
    ReportingUnitOfWork,
    CONSUMERS,
)
deliver = SERVICE.deliver
settings_for = SERVICE.settings


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return SERVICE
