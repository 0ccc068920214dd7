"""HOPE funding running in-process against a fresh, migrated database: a SQLite file, then a real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_infra.testing import migrated_database
from hopekit.testing import TokenIssuer, running, service_settings

SERVICE_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    return TokenIssuer.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return migrated_database(request, tmp_path, SERVICE_ROOT)


@pytest.fixture
async def client(database_url: str, issuer: TokenIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """The API alone (no Kafka): events stay in the outbox, where tests read them."""
    async with running(create_app(service_settings(FundingSettings, database_url, issuer))) as http:
        yield http
