"""HOPE employment running in-process against a fresh, migrated database (a SQLite file, then a real PostgreSQL),
fed enrolment's and training's events by hand (and, in one test, through Kafka)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from employment_service.adapters.tables import kit
from employment_service.main import create_app
from employment_service.settings import EmploymentSettings
from hope_infra.testing import migrated_database
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database

from .programme import Programme

SERVICE_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    return TokenIssuer.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return migrated_database(request, tmp_path, SERVICE_ROOT)


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    upgrade(SERVICE_ROOT, postgres_database)
    return postgres_database


def settings_for(database_url: str, issuer: TokenIssuer, kafka: str | None = None, **extra: Any) -> EmploymentSettings:
    return service_settings(EmploymentSettings, database_url, issuer, kafka, **extra)


@pytest.fixture
async def client(database_url: str, issuer: TokenIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """The API alone (no Kafka): events stay in the outbox, where tests read them."""
    async with running(create_app(settings_for(database_url, issuer))) as http:
        yield http


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)
