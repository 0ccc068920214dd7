"""Servers for the benchmarks: PostgreSQL (local or HOPE_BENCH_DATABASE_URL) and Kafka (local broker
provisioned like ``make run``, or HOPE_BENCH_KAFKA_BOOTSTRAP), its topics with the platform's partitions (six each,
``hope_infra.kafka.ensure_topics``: what a rebuild shares among its processes)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from hope_infra.kafka import PLATFORM_TOPICS, LocalKafka, ensure_topics, find_free_port

ADMIN_URL = os.environ.get("HOPE_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class BenchEnvironment:
    kafka_bootstrap: str
    work_dir: Path

    @contextlib.asynccontextmanager
    async def database(self) -> AsyncIterator[str]:
        name = f"hope_bench_{uuid.uuid4().hex[:10]}"

        async def admin(statement: str) -> None:
            connection = await asyncpg.connect(ADMIN_URL)
            try:
                await connection.execute(statement)
            finally:
                await connection.close()

        await admin(f'CREATE DATABASE "{name}"')
        try:
            yield f"{ADMIN_URL.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"
        finally:
            await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def bench_environment() -> Iterator[BenchEnvironment]:
    with tempfile.TemporaryDirectory(prefix="hope-bench-") as work:
        external = os.environ.get("HOPE_BENCH_KAFKA_BOOTSTRAP")
        if external:
            asyncio.run(ensure_topics(external, PLATFORM_TOPICS))
            yield BenchEnvironment(external, Path(work))
            return
        with LocalKafka(Path(work) / "kafka", port=find_free_port(), zk_port=find_free_port()) as kafka:
            asyncio.run(ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS))
            yield BenchEnvironment(kafka.bootstrap_servers, Path(work))
