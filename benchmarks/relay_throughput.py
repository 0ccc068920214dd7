"""Outbox relay throughput on PostgreSQL, beside a raw idempotent aiokafka producer sending the same events."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.environment import BenchEnvironment
from benchmarks.report import Report
from enrolment_service.adapters.tables import kit
from hope_contracts.enrolment import BeneficiaryRegistered
from hopekit.db.migrations import upgrade
from hopekit.events import cloudevent
from hopekit.events.kafka import make_producer
from hopekit.events.outbox import outbox_row
from hopekit.events.relay import OutboxRelay

EVENTS = 20_000
SOURCE = "/hope/enrolment"
ENROLMENT_ROOT = Path(__file__).resolve().parents[1] / "services" / "enrolment"


def _rows() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        outbox_row(
            BeneficiaryRegistered(
                beneficiary_id=uuid.uuid4(),
                track="group",
                protection_status="refugee",
                registered_by_org_id=uuid.uuid4(),
                occurred_at=now,
            ),
            now,
        )
        for _ in range(EVENTS)
    ]


async def run(environment: BenchEnvironment, report: Report) -> None:
    rows = _rows()
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, ENROLMENT_ROOT, url)
        engine = create_async_engine(url)
        producer = make_producer(environment.kafka_bootstrap, client_id="bench-relay")
        await producer.start()
        try:
            raw = await _raw(producer, rows)
            async with engine.begin() as connection:
                for start in range(0, len(rows), 5_000):
                    await connection.execute(insert(kit.outbox), rows[start : start + 5_000])
            relay = OutboxRelay(engine, kit.outbox, producer, SOURCE, wakeup=asyncio.Event(), batch_size=1_000)
            started = time.perf_counter()
            while await relay.publish_batch():
                pass
            relayed = EVENTS / (time.perf_counter() - started)
            async with engine.connect() as connection:
                left = await connection.scalar(
                    select(func.count()).select_from(kit.outbox).where(kit.outbox.c.published_at.is_(None))
                )
            assert left == 0, f"{left} events left unpublished"
        finally:
            await producer.stop()
            await engine.dispose()
    section = f"outbox relay ({EVENTS} events, PostgreSQL)"
    report.add(section, "raw idempotent producer", f"{raw:,.0f} events/s")
    report.add(section, "relay", f"{relayed:,.0f} events/s", ">= 5,000 events/s")
    report.add(section, "relay / raw", f"{relayed / raw:.0%}", ">= 25 %")


async def _raw(producer: object, rows: list[dict[str, object]]) -> float:
    started = time.perf_counter()
    futures = []
    for row in rows:
        key, value, headers = cloudevent.encode(
            event_id=row["event_id"],  # type: ignore[arg-type]
            source=SOURCE,
            type_=str(row["type"]),
            subject=str(row["subject"]),
            time=row["occurred_at"],  # type: ignore[arg-type]
            key=str(row["key"]),
            payload=row["payload"],  # type: ignore[arg-type]
        )
        futures.append(await producer.send(str(row["topic"]), value=value, key=key, headers=headers))  # type: ignore[attr-defined]
    await asyncio.gather(*futures)
    return len(rows) / (time.perf_counter() - started)
