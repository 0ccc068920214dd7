"""The whole platform as real processes on PostgreSQL (a fresh database per service) and its own Kafka, for the
end-to-end tests: partners reach it through the gateway only, the tests read the databases directly only to
look for what erasure must have removed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from hope_infra.demo.launcher import RunningPlatform, running_platform
from hope_infra.services import SERVICES


@dataclass(frozen=True)
class PlatformOnPostgres:
    platform: RunningPlatform
    database_urls: dict[str, str]  # by service, asyncpg URLs


async def _admin(url: str, statements: list[str]) -> None:
    connection = await asyncpg.connect(url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="module")
def platform_on_postgres(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlatformOnPostgres]:
    suffix = uuid.uuid4().hex[:8]
    names = {service.name: f"hope_e2e_{service.name}_{suffix}" for service in SERVICES}
    asyncio.run(_admin(postgres_admin_url, [f'CREATE DATABASE "{name}"' for name in names.values()]))
    base = postgres_admin_url.rsplit("/", 1)[0]
    urls = {service: f"{base}/{name}" for service, name in names.items()}
    sqlalchemy_urls = {s: url.replace("postgresql://", "postgresql+asyncpg://", 1) for s, url in urls.items()}
    try:
        with running_platform(Path(tmp_path_factory.mktemp("platform")), sqlalchemy_urls) as platform:
            yield PlatformOnPostgres(platform, urls)
    finally:
        drops = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names.values()]
        asyncio.run(_admin(postgres_admin_url, drops))
