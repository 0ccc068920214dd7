"""Pytest plugin: real PostgreSQL and Kafka for integration tests, fresh for each run.

PostgreSQL: ``HOPE_TEST_DATABASE_URL`` (an admin URL) or the local server on 127.0.0.1:5432.
Kafka: ``HOPE_TEST_KAFKA_BOOTSTRAP``, else a Kafka container when a Docker engine answers, else a local
broker provisioned like ``make run`` does, on free ports in a temporary folder.
With ``CI`` set a missing server fails the run; elsewhere the integration tests are skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from hope_infra.kafka import PLATFORM_TOPICS, LocalKafka, ensure_topics, find_free_port
from hopekit.db.migrations import upgrade

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _unavailable(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI and is not available", pytrace=False)
    pytest.skip(f"{what} not available")


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    url = os.environ.get("HOPE_TEST_DATABASE_URL", DEFAULT_ADMIN_URL).replace("postgresql+asyncpg", "postgresql")

    async def probe() -> None:
        connection = await asyncpg.connect(url, timeout=5)
        await connection.close()

    try:
        asyncio.run(probe())
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        _unavailable(f"PostgreSQL at {url} ({error})")
    return url


@pytest.fixture
def postgres_database(postgres_admin_url: str) -> Iterator[str]:
    """A new, empty database for one test; its SQLAlchemy URL (asyncpg driver)."""
    name = f"hope_test_{uuid.uuid4().hex[:12]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(postgres_admin_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    base = postgres_admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("HOPE_TEST_KAFKA_BOOTSTRAP")
    if external:
        asyncio.run(ensure_topics(external, PLATFORM_TOPICS, partitions=3))
        yield external
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as container:
            bootstrap = container.get_bootstrap_server()
            asyncio.run(ensure_topics(bootstrap, PLATFORM_TOPICS, partitions=3))
            yield bootstrap
        return
    data_dir = Path(tmp_path_factory.mktemp("kafka"))
    broker = LocalKafka(data_dir, port=find_free_port(), zk_port=find_free_port())
    try:
        broker.start()
    except Exception as error:
        _unavailable(f"a local Kafka broker ({error})")
    try:
        asyncio.run(ensure_topics(broker.bootstrap_servers, PLATFORM_TOPICS, partitions=3))
        yield broker.bootstrap_servers
    finally:
        broker.stop()


def migrated_database(request: pytest.FixtureRequest, tmp_path: Path, service_root: Path) -> str:
    """For a fixture parametrised ``["sqlite", "postgres"]``: a fresh database of that kind with the service's
    migrations applied, so the same API tests prove both the embedded default and production's database."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / (service_root.name + '.db')}"
    else:
        url = request.getfixturevalue("postgres_database")
    upgrade(service_root, url)
    return url
