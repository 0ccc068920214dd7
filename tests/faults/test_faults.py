"""The event pipeline under faults (issue 12 item 6): enrolment on PostgreSQL writing under load while the broker
and the service are killed (-9) and paused at seeded random moments; then every acknowledged write must be on
Kafka, in order per person, with nothing stuck in the outbox.

Run alone: ``python3 -m uv run --frozen pytest tests/faults -m faults -s``; ``HOPE_FAULT_SEED`` replays a run,
``HOPE_FAULT_DURATION_S`` sets how long the load and the faults last (90 s).

Not covered yet: the training service (its consumer, so "applied twice"), the gateway, SQLite.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enrolment_service.adapters.tables import kit
from hope_infra.kafka import PLATFORM_TOPICS, LocalKafka, ensure_topics, find_free_port
from hope_infra.platform import KafkaChild
from hope_infra.supervisor import ChildProcess, Supervisor
from hopekit.db.migrations import upgrade
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer

from .harness import Acknowledged, FaultLog, Target, drive_load, inject_faults, lost, read_wire, wait_for_outbox

pytestmark = [pytest.mark.faults, pytest.mark.integration]

ENROLMENT_ROOT = Path(__file__).resolve().parents[2] / "services" / "enrolment"
TOPIC = "hope.enrolment.events"
SETTLE_S = 60


def enrolment_process(port: int, database_url: str, bootstrap: str, issuer: TokenIssuer, log: Path) -> ChildProcess:
    env = {
        **os.environ,
        "HOPE_ENROLMENT_DATABASE_URL": database_url,
        "HOPE_ENROLMENT_KAFKA_BOOTSTRAP": bootstrap,
        "HOPE_ENROLMENT_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
        "HOPE_ENROLMENT_JWT_ISSUER": TEST_ISSUER,
        "HOPE_ENROLMENT_JWT_AUDIENCE": TEST_AUDIENCE,
        "HOPE_ENROLMENT_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", "enrolment_service.main:create_app", "--factory"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]

    def spawn() -> subprocess.Popen[bytes]:
        with log.open("ab") as output:
            return subprocess.Popen(command, env=env, stdout=output, stderr=output)

    return ChildProcess("enrolment", spawn)


async def supervise(supervisor: Supervisor, until: asyncio.Event) -> None:
    while not until.is_set():
        await asyncio.to_thread(supervisor.check)
        await asyncio.sleep(0.5)


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


async def test_every_acknowledged_write_reaches_kafka_in_order_per_person_under_faults(
    postgres_database: str, tmp_path: Path
) -> None:
    seed = int(os.environ.get("HOPE_FAULT_SEED", random.randrange(1_000_000)))
    duration_s = float(os.environ.get("HOPE_FAULT_DURATION_S", "90"))
    print(f"\nfault test seed {seed} (HOPE_FAULT_SEED={seed} replays it)")
    await asyncio.to_thread(upgrade, ENROLMENT_ROOT, postgres_database)
    kafka = LocalKafka(tmp_path / "kafka", port=find_free_port(), zk_port=find_free_port())
    await asyncio.to_thread(kafka.start)
    said: list[str] = []
    supervisor = Supervisor(said.append, first_delay_s=0.5, max_delay_s=5)
    supervisor.adopt(KafkaChild(kafka))
    issuer = TokenIssuer.create(tmp_path)
    port = find_free_port()
    base = f"http://127.0.0.1:{port}"
    enrolment = enrolment_process(port, postgres_database, kafka.bootstrap_servers, issuer, tmp_path / "enrolment.log")
    stop = asyncio.Event()
    try:
        await ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS)
        enrolment.start()
        supervisor.adopt(enrolment)
        await wait_ready(base)
        watcher = asyncio.create_task(supervise(supervisor, stop))
        acknowledged = Acknowledged()
        faults = FaultLog()
        targets = [
            Target("broker", lambda: kafka.pids[:1]),
            Target("zookeeper", lambda: kafka.pids[1:]),
            Target("enrolment", lambda: [enrolment.process.pid] if enrolment.process else []),
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
        stuck = await wait_for_outbox(postgres_database, kit, SETTLE_S)
        stop.set()
        await watcher
        wire = await read_wire(kafka.bootstrap_servers, TOPIC)
    finally:
        stop.set()
        await asyncio.to_thread(supervisor.stop_all)

    missing = lost(acknowledged, wire)
    print(
        f"faults injected {len(faults.injected)} ({', '.join(faults.injected)}); restarts {said}; "
        f"acknowledged writes {acknowledged.total}; lost {missing}; stuck {stuck}; "
        f"duplicates on the wire {wire.duplicates}; out of order {wire.out_of_order}"
    )
    assert acknowledged.total > 0
    assert faults.injected
    assert missing == 0
    assert stuck == 0
    assert wire.out_of_order == 0
