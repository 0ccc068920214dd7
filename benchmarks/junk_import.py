"""``python -m benchmarks.junk_import [MB]``: a CSV attendance import of junk must not hurt the service.

The training service runs as its own uvicorn process on a fresh PostgreSQL database (no Kafka: events wait in
the outbox). A cohort's course is set up through the projection's tables and the API, then a file of ``MB``
megabytes (30 by default) whose rows are all refused is uploaded (ids that are not UUIDs, people outside the
cohort, dates outside the course, unknown statuses). Meanwhile ``/health/live`` is called every 50 ms. Printed:
the service's resident memory before and at its peak (VmHWM), the size of the answer, the upload's duration,
and the slowest and median ``/health/live`` answer during the upload.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import current_rss_mb, peak_rss_mb, spawn_uvicorn, wait_ready
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hopekit.db.migrations import upgrade
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer
from training_service.adapters.tables import cohort_members, cohorts, participant_steps, participants

TRAINING_ROOT = Path(__file__).resolve().parents[1] / "services" / "training"


def write_junk(path: Path, megabytes: int, first: date) -> int:
    """Rows that are all refused, for several reasons; the number of rows written."""
    stranger = uuid.uuid4()
    kinds = (
        "not-a-uuid;{day};absent",
        f"{stranger};{{day}};present",
        f"{uuid.uuid4()};01/01/1999;present",
        f"{uuid.uuid4()};{{day}};late",
    )
    day = first.isoformat()
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("beneficiary_id;date;status\n")
        while out.tell() < megabytes * 1_000_000:
            out.write(kinds[rows % len(kinds)].format(day=day) + "\n")
            rows += 1
    return rows


async def _set_up(url: str, base: str, headers: dict[str, str], provider: uuid.UUID, first: date) -> str:
    cohort, person = uuid.uuid4(), uuid.uuid4()
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            insert(cohorts).values(
                id=cohort,
                track="group",
                sector_code="logistics",
                training_provider_org_id=provider,
                support_provider_org_id=uuid.uuid4(),
            )
        )
        await connection.execute(insert(participants).values(beneficiary_id=person, track="group"))
        await connection.execute(insert(cohort_members).values(cohort_id=cohort, beneficiary_id=person))
        await connection.execute(
            insert(participant_steps).values(
                beneficiary_id=person, step=3, cohort_id=cohort, started_at=datetime.now(UTC)
            )
        )
    await engine.dispose()
    async with httpx.AsyncClient(base_url=base) as client:
        course = await client.post(
            "/v1/courses",
            json={
                "step": 3,
                "cohort_id": str(cohort),
                "provider_org_id": str(provider),
                "starts_on": first.isoformat(),
                "ends_on": (first + timedelta(days=60)).isoformat(),
            },
            headers=headers,
        )
        course.raise_for_status()
        course_id: str = course.json()["id"]
        session = await client.post(
            f"/v1/courses/{course_id}/sessions",
            json={"held_on": first.isoformat(), "starts_at": "09:00", "ends_at": "12:00"},
            headers=headers,
        )
        session.raise_for_status()
    return course_id


async def _probe(base: str, latencies: list[float], stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        while not stop.is_set():
            started = time.perf_counter()
            await client.get("/health/live")
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)


async def main(megabytes: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        environment = BenchEnvironment("", Path(work))
        issuer = TokenIssuer.create(Path(work))
        provider = uuid.uuid4()
        headers = issuer.headers(OrgKind.TRAINING_PROVIDER, Role.WRITER, org_id=provider)
        port = find_free_port()
        base = f"http://127.0.0.1:{port}"
        first = datetime.now(UTC).date() - timedelta(days=30)
        async with environment.database() as url:
            await asyncio.to_thread(upgrade, TRAINING_ROOT, url)
            env = {
                "HOPE_TRAINING_DATABASE_URL": url,
                "HOPE_TRAINING_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
                "HOPE_TRAINING_JWT_ISSUER": TEST_ISSUER,
                "HOPE_TRAINING_JWT_AUDIENCE": TEST_AUDIENCE,
                "HOPE_TRAINING_LOG_LEVEL": "WARNING",
                "HOPE_TRAINING_VAR_DIR": str(Path(work) / "training-var"),
            }
            process = spawn_uvicorn("training_service.main:create_app", port, env)
            try:
                await wait_ready(base, process, "training")
                course_id = await _set_up(url, base, headers, provider, first)
                sheet = Path(work) / "junk.csv"
                rows = write_junk(sheet, megabytes, first)
                rss_before = current_rss_mb(process.pid)
                latencies: list[float] = []
                stop = asyncio.Event()
                probe = asyncio.create_task(_probe(base, latencies, stop))
                started = time.perf_counter()
                async with httpx.AsyncClient(base_url=base, timeout=600) as client:
                    with sheet.open("rb") as content:
                        answer = await client.post(
                            "/v1/attendance-imports",
                            params={"course_id": course_id},
                            files={"file": ("junk.csv", content, "text/csv")},
                            headers=headers,
                        )
                took = time.perf_counter() - started
                stop.set()
                await probe
                peak = peak_rss_mb(process.pid)
                report = answer.json()
            finally:
                process.terminate()
                process.wait(timeout=20)
    print(f"junk file: {megabytes} MB, {rows:,} rows; answer {answer.status_code}, {len(answer.content):,} bytes")
    print(f"rows read {report.get('rows_read')}, rejected {report.get('rejected')}")
    print(f"upload -> report: {took:.1f} s")
    print(f"service RSS before / peak: {rss_before:.0f} MB / {peak:.0f} MB")
    print(
        f"/health/live during the upload: {len(latencies)} calls, median {statistics.median(latencies) * 1000:.0f} ms,"
        f" slowest {max(latencies) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
