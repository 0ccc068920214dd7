"""The event pipeline under faults (issue 12 item 6): enrolment on PostgreSQL writing under load while the broker
and the service are killed (-9) and paused at seeded random moments; then every acknowledged write must be on
Kafka, in order per person, with nothing stuck in the outbox.

Run alone: ``python3 -m uv run --frozen pytest tests/faults -m faults -s``; ``HOPE_FAULT_SEED`` replays a run,
``HOPE_FAULT_DURATION_S`` sets how long the load and the faults last (90 s).

Training runs too, consuming enrolment's events (and is killed and paused as well): every acknowledged registration
must reach its projection. A second application is refused by the inbox's primary key in the transaction of the
first; the refusals are counted on training's /metrics and printed (since its last start). Not covered yet: the
gateway, SQLite.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from enrolment_service.adapters.tables import kit
from hope_infra.kafka import PLATFORM_TOPICS, LocalKafka, ensure_topics, find_free_port
from hope_infra.platform import KafkaChild
from hope_infra.supervisor import ChildProcess, Supervisor
from hopekit.db.migrations import upgrade
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer
from training_service.adapters.tables import participants

from .harness import (
    Acknowledged,
    FaultLog,
    Target,
    describe_consumer_group,
    drive_load,
    inject_faults,
    keep_running,
    log_tail,
    lost,
    metric_total,
    read_wire,
    until_all_running,
    wait_for_outbox,
)

pytestmark = [pytest.mark.faults, pytest.mark.integration]

ENROLMENT_ROOT = Path(__file__).resolve().parents[2] / "services" / "enrolment"
TRAINING_ROOT = Path(__file__).resolve().parents[2] / "services" / "training"
TOPIC = "hope.enrolment.events"
SETTLE_S = 60
# However busy training still is after the faults, it has applied every registration by then.
CATCH_UP_CAP_S = 180
# The local Kafka's restart (both JVMs, its stale ZooKeeper session expiring) after a kill as the faults end.
RESTART_CAP_S = 180


def service_process(
    name: str, port: int, database_url: str, bootstrap: str, issuer: TokenIssuer, log: Path
) -> ChildProcess:
    prefix = f"HOPE_{name.upper()}_"
    env = {
        **os.environ,
        prefix + "DATABASE_URL": database_url,
        prefix + "KAFKA_BOOTSTRAP": bootstrap,
        prefix + "JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
        prefix + "JWT_ISSUER": TEST_ISSUER,
        prefix + "JWT_AUDIENCE": TEST_AUDIENCE,
        prefix + "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", f"{name}_service.main:create_app", "--factory"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]

    def spawn() -> subprocess.Popen[bytes]:
        with log.open("ab") as output:
            return subprocess.Popen(command, env=env, stdout=output, stderr=output)

    return ChildProcess(name, spawn)


@pytest.fixture
def training_database(postgres_admin_url: str) -> Iterator[str]:
    """A second fresh database, for training (``postgres_database`` is enrolment's)."""
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


async def wait_for_projection(database_url: str, people: set[str], stall_s: float) -> tuple[set[str], float]:
    """People registered (acknowledged by enrolment) that training's projection still lacks once it has applied
    nobody new for ``stall_s`` (or after ``CATCH_UP_CAP_S`` in all), and how long training took.

    Liveness is progress, not a fixed deadline: since the load's transitions reach enrolment again, a run sends
    thousands of events that training works through after the faults (seed 242547: 5,927 writes, 877
    registrations still queued behind them after 60 s, while training kept applying)."""
    engine = create_async_engine(database_url)
    try:
        started = last_progress = time.monotonic()
        waiting = len(people)
        while True:
            async with engine.connect() as connection:
                known = {str(row) for row in await connection.scalars(select(participants.c.beneficiary_id))}
            missing = people - known
            now = time.monotonic()
            if len(missing) < waiting:
                waiting, last_progress = len(missing), now
            if not missing or now - last_progress > stall_s or now - started > CATCH_UP_CAP_S:
                return missing, now - started
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


async def wait_ready(base: str, within_s: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + within_s
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{base}/health/ready")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise AssertionError(f"{base} not ready")


@pytest.mark.timeout(600)  # the load, the settle and training's catch-up (up to CATCH_UP_CAP_S)
async def test_every_acknowledged_write_reaches_kafka_in_order_per_person_under_faults(
    postgres_database: str, training_database: str, tmp_path: Path
) -> None:
    seed = int(os.environ.get("HOPE_FAULT_SEED", random.randrange(1_000_000)))
    duration_s = float(os.environ.get("HOPE_FAULT_DURATION_S", "90"))
    print(f"\nfault test seed {seed} (HOPE_FAULT_SEED={seed} replays it)")
    await asyncio.to_thread(upgrade, ENROLMENT_ROOT, postgres_database)
    await asyncio.to_thread(upgrade, TRAINING_ROOT, training_database)
    kafka = LocalKafka(tmp_path / "kafka", port=find_free_port(), zk_port=find_free_port())
    await asyncio.to_thread(kafka.start)
    said: list[str] = []
    supervisor = Supervisor(said.append, first_delay_s=0.5, max_delay_s=5)
    supervisor.adopt(KafkaChild(kafka))
    issuer = TokenIssuer.create(tmp_path)
    port = find_free_port()
    base = f"http://127.0.0.1:{port}"
    bootstrap = kafka.bootstrap_servers
    enrolment = service_process("enrolment", port, postgres_database, bootstrap, issuer, tmp_path / "enrolment.log")
    training_port = find_free_port()
    training = service_process(
        "training", training_port, training_database, bootstrap, issuer, tmp_path / "training.log"
    )
    stop = asyncio.Event()
    try:
        await ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS)
        for service in (enrolment, training):
            service.start()
            supervisor.adopt(service)
        await wait_ready(base)
        await wait_ready(f"http://127.0.0.1:{training_port}")
        watcher = asyncio.create_task(keep_running(supervisor, stop))
        acknowledged = Acknowledged()
        faults = FaultLog()
        targets = [
            Target("broker", lambda: kafka.pids[:1]),
            Target("zookeeper", lambda: kafka.pids[1:]),
            Target("enrolment", lambda: [enrolment.process.pid] if enrolment.process else []),
            Target("training", lambda: [training.process.pid] if training.process else []),
        ]
        await asyncio.gather(
            drive_load(
                base,
                issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER),
                issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN),
                duration_s,
                acknowledged,
            ),
            inject_faults(targets, seed, duration_s, faults),
        )
        await until_all_running(supervisor, RESTART_CAP_S)
        stuck = await wait_for_outbox(postgres_database, kit, SETTLE_S)
        registered = {person for person, writes in acknowledged.writes.items() if "registered" in writes}
        not_applied, catch_up_s = await wait_for_projection(training_database, registered, SETTLE_S)
        if not_applied:
            # Read while training still runs: where its group stands and what it last logged.
            print(await describe_consumer_group(bootstrap, "training.enrolment-projection", TOPIC))
            print("training's log, last lines:\n" + log_tail(tmp_path / "training.log"))
        # Resends and replayed polls that training's inbox refused to apply again (since its last start).
        refused_again = await metric_total(
            f"http://127.0.0.1:{training_port}",
            "hope_consumer_duplicates_dropped_total",
            consumer="training.enrolment-projection",
        )
        stop.set()
        await watcher
        wire = await read_wire(kafka.bootstrap_servers, TOPIC)
    finally:
        stop.set()
        await asyncio.to_thread(supervisor.stop_all)

    missing = lost(acknowledged, wire)
    print(
        f"faults injected {len(faults.injected)} ({', '.join(faults.injected)}); restarts {said}; "
        f"acknowledged writes {acknowledged.total} (refused {acknowledged.refused}); lost {missing}; stuck {stuck}; "
        f"duplicates on the wire {wire.duplicates}; out of order {wire.out_of_order}; "
        f"deliveries training's inbox refused to apply twice {refused_again:.0f} (since its last start); "
        f"registrations not applied by training {len(not_applied)} "
        f"(training caught up {catch_up_s:.0f} s after the outbox drained; stalls allowed {SETTLE_S} s, at most "
        f"{CATCH_UP_CAP_S} s)"
    )
    assert acknowledged.total > 0
    # Several events per person, or per-person order is not tested (the transitions' path once moved: all 404).
    assert any(len(writes) > 1 for writes in acknowledged.writes.values())
    assert faults.injected
    assert missing == 0
    assert stuck == 0
    assert wire.out_of_order == 0
    # Training's liveness: every acknowledged registration applied. It once sat idle for minutes after a broker
    # restart (seed 7, and most likely 242547 in CI): its group had been assigned while the broker did not yet list
    # the topic's partitions, and aiokafka looked again only after five minutes (the kit's consumers: every 10 s).
    assert not not_applied, f"training stalled with {len(not_applied)} registrations not applied, seed {seed}"
