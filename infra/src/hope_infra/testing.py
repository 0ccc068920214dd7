"""Pytest plugin: real PostgreSQL and Kafka for integration tests, fresh for each run.

PostgreSQL: ``HOPE_TEST_DATABASE_URL`` (an admin URL) or the local server on 127.0.0.1:5432.
Kafka: ``HOPE_TEST_KAFKA_BOOTSTRAP``, else a Kafka container when a Docker engine answers, else a local
broker provisioned like ``make run`` does, on free ports in a temporary folder.
With ``CI`` set a missing server fails the run; elsewhere the integration tests are skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import EventContract
from hope_infra.kafka import PLATFORM_TOPICS, LocalKafka, ensure_topics, find_free_port
from hopekit.db.engine import make_engine
from hopekit.db.kit_tables import KitTables
from hopekit.db.migrations import upgrade
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import ConsumerSpec, process
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database, UnitOfWork

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


@dataclass(frozen=True)
class ServiceUnderTest:
    """What a service's integration conftest tells this plugin, as the fixture ``service_under_test``; the plugin
    then gives it ``database_url`` (SQLite, then PostgreSQL), ``postgres_url``, ``issuer``, ``client`` and, for a
    service that consumes events, ``database`` and :meth:`deliver`."""

    name: str
    root: Path
    settings_class: type[Any]
    create_app: Callable[[Any], Any]
    kit_tables: KitTables | None = None
    uow_class: Callable[[Database], UnitOfWork] | None = None
    consumers: Sequence[ConsumerSpec] = ()

    def settings(self, database_url: str, issuer: TokenIssuer, kafka: str | None = None, **extra: Any) -> Any:
        return service_settings(self.settings_class, database_url, issuer, kafka, **extra)

    async def deliver(self, database: Database, event: ReceivedEvent) -> bool:
        """What the service's consumer does with one record from Kafka: the inbox row and the use case in one
        transaction. False for an event it had already processed."""
        assert self.uow_class is not None, "ServiceUnderTest needs uow_class to deliver events"
        for spec in self.consumers:
            if event.type in spec.handlers:
                consumer = f"{self.name}.{spec.name}"
                return await process(consumer, self.uow_class(database), spec.handlers[event.type], event)
        raise LookupError(f"{self.name} consumes no {event.type}")


def received(contract: EventContract, event_id: str | None = None) -> ReceivedEvent:
    """Another service's event as a consumer receives it from Kafka."""
    return ReceivedEvent(
        id=event_id or str(uuid.uuid4()),
        source=f"/hope/{contract.service()}",
        type=contract.event_type,
        subject=contract.subject(),
        time=datetime.now(UTC),
        key=contract.partition_key(),
        data=contract.model_dump(mode="json"),
        topic=contract.topic(),
        partition=0,
        offset=0,
    )


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    return TokenIssuer.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, service_under_test: ServiceUnderTest) -> str:
    return migrated_database(request, tmp_path, service_under_test.root)


@pytest.fixture
def postgres_url(postgres_database: str, service_under_test: ServiceUnderTest) -> str:
    upgrade(service_under_test.root, postgres_database)
    return postgres_database


@contextlib.asynccontextmanager
async def _service_database(url: str, service_under_test: ServiceUnderTest) -> AsyncIterator[Database]:
    assert service_under_test.kit_tables is not None, "ServiceUnderTest needs kit_tables for the database fixture"
    engine = make_engine(url)
    try:
        yield Database(engine=engine, tables=service_under_test.kit_tables)
    finally:
        await engine.dispose()


@pytest.fixture
async def database(database_url: str, service_under_test: ServiceUnderTest) -> AsyncIterator[Database]:
    """The service's database, as its consumers use it (see :meth:`ServiceUnderTest.deliver`)."""
    async with _service_database(database_url, service_under_test) as database:
        yield database


@pytest.fixture
async def postgres(postgres_url: str, service_under_test: ServiceUnderTest) -> AsyncIterator[Database]:
    """``database`` on PostgreSQL alone: for what the service does only there."""
    async with _service_database(postgres_url, service_under_test) as database:
        yield database


@pytest.fixture
async def client(
    database_url: str, issuer: TokenIssuer, service_under_test: ServiceUnderTest
) -> AsyncIterator[httpx.AsyncClient]:
    """The API alone (no Kafka): events stay in the outbox, where tests can read them."""
    app = service_under_test.create_app(service_under_test.settings(database_url, issuer))
    async with running(app) as http:
        yield http


PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    """The answer is a problem document of that status (and of type ``urn:hope:problem:<slug>`` when given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    if slug is not None:
        assert problem["type"] == f"urn:hope:problem:{slug}"
    return problem


async def outbox_events(database_url: str, tables: KitTables, event_type: str | None = None) -> list[dict[str, Any]]:
    """The events a service wrote so far, in order, payloads decoded (with no Kafka they wait in the outbox)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(tables.outbox.c.type, tables.outbox.c.payload).order_by(tables.outbox.c.position)
            )
            found = [{"type": row.type, **json.loads(row.payload)} for row in rows]
    finally:
        await engine.dispose()
    return [event for event in found if event_type is None or event["type"] == event_type]
