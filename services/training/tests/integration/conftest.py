"""Training running in-process against a fresh database (a SQLite file, or a real PostgreSQL), fed
enrolment events by hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from hope_infra.testing import ServiceUnderTest
from hope_infra.testing import received as received
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from training_service.adapters.tables import kit
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.events.incoming import CONSUMERS
from training_service.main import create_app
from training_service.settings import TrainingSettings

if TYPE_CHECKING:
    from .programme import Programme

SERVICE_ROOT = Path(__file__).resolve().parents[2]

SERVICE = ServiceUnderTest("training", SERVICE_ROOT, TrainingSettings, create_app, kit, TrainingUnitOfWork, CONSUMERS)
deliver = SERVICE.deliver
settings_for = SERVICE.settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return SERVICE


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    """The partners around training: enrolment's events by hand, the rest over HTTP."""
    from .programme import Programme  # it builds on deliver()

    return Programme(client, issuer, database)
