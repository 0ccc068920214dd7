"""What the gateway adds: the same beneficiary read called directly on enrolment and through the gateway.

Both services run as their own uvicorn processes (one worker each), each on a fresh PostgreSQL database;
enrolment trusts the gateway's JWKS and every call carries a real token from the gateway's /oauth/token.
The load comes from other processes: this package's open-loop generator (``benchmarks.load``) at a fixed
rate, and wrk (installed with apt-get when missing and running as root; else ``benchmarks.load closed``)
at saturation. Direct and gateway runs alternate so that background load hits both alike.
Token verification and the secret hash are also timed in this process.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from jwt import PyJWK

from benchmarks.enrolment_latency import ENROLMENT_ROOT
from benchmarks.environment import BenchEnvironment
from benchmarks.processes import spawn_uvicorn, wait_ready
from benchmarks.report import Report
from benchmarks.saturation import Saturation, ensure_wrk, json_from, saturate, wrk_version
from benchmarks.tails import quantile, quantile_difference
from gateway_service.service_layer.credentials import hash_secret, new_secret, secret_matches
from gateway_service.settings import DEFAULT_RATE_LIMITS, GatewaySettings
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hope_infra.services import SERVICES
from hopekit.db.migrations import upgrade
from hopekit.identity.keys import generate_signing_key
from hopekit.identity.tokens import TokenVerifier, mint_token

REPOSITORY = Path(__file__).resolve().parents[1]
GATEWAY_ROOT = REPOSITORY / "gateway"
# Per target: direct and gateway requests are interleaved one by one, so enrolment sees twice this rate; on a
# machine where that would be over RATE_SHARE of enrolment's measured saturation throughput, the rate is lowered.
RATE = 100
RATE_SHARE = 0.4
# Rounds pooled into one sample per target: at 33 req/s (the lowest rate a machine of this kind has set) that leaves
# about 40 answers above each p99, and benchmarks.tails says how far the difference can be trusted. The rounds'
# own figures are shown beside the pooled one, so that a stall in one round is seen for what it is.
FIXED_ROUNDS = 3
FIXED_S = 40
SATURATION_S = 8
ROUNDS = 2
CONNECTIONS = 32
TOKEN_S = 10
TOKEN_CONNECTIONS = 4
# High enough that no limit of the gateway's own throttles the measurement.
UNLIMITED = 1_000_000_000
ROLES = [role.value for role in Role]
GATEWAY = next(service for service in SERVICES if service.name == "gateway")


@dataclass
class Servers:
    gateway: str
    enrolment: str
    gateway_process: subprocess.Popen[bytes]
    enrolment_process: subprocess.Popen[bytes]


def _gateway_env(database_url: str, enrolment: str, var_dir: Path) -> dict[str, str]:
    env = {
        "HOPE_GATEWAY_DATABASE_URL": database_url,
        "HOPE_GATEWAY_ENVIRONMENT": "test",
        "HOPE_GATEWAY_VAR_DIR": str(var_dir),
        "HOPE_GATEWAY_LOG_LEVEL": "WARNING",
        "HOPE_GATEWAY_TOKEN_TTL_S": "3600",
        "HOPE_GATEWAY_UPSTREAMS": json.dumps({"enrolment": enrolment}),
        "HOPE_GATEWAY_RATE_LIMITS": json.dumps(dict.fromkeys(sorted({*ROLES, *DEFAULT_RATE_LIMITS}), UNLIMITED)),
    }
    # The token endpoint's attempt limits, and any other count limit the gateway grows, as high as they go.
    for name, field in GatewaySettings.model_fields.items():
        counted = "limit" in name or name.startswith("token_attempts")
        if counted and "window" not in name and name != "rate_limits" and field.annotation is int:
            bounds = [getattr(m, "le", None) or getattr(m, "lt", None) for m in field.metadata]
            highest = min([UNLIMITED, *(int(bound) for bound in bounds if bound is not None)])
            env[f"HOPE_GATEWAY_{name.upper()}"] = str(highest)
    return env


def _create_admin(env: dict[str, str]) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "gateway_service.cli", "create-admin", "--client-name", "bench-admin"],
        env={**os.environ, **env},
        capture_output=True,
        check=True,
    )
    issued = json.loads(done.stdout)
    return issued["client_id"], issued["client_secret"]


async def _token(http: httpx.AsyncClient, gateway: str, client_id: str, secret: str) -> str:
    response = await http.post(
        f"{gateway}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def _bench_client(http: httpx.AsyncClient, gateway: str, admin_token: str) -> tuple[str, str]:
    """A partner client as the issue's scope enforcement will want it: enrolment:read, no scope asked for."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    response = await http.post(
        f"{gateway}/admin/v1/organisations",
        json={"name": f"bench-ofii-{uuid.uuid4().hex[:6]}", "org_kind": OrgKind.IMMIGRATION_OFFICE.value},
        headers=headers,
    )
    response.raise_for_status()
    response = await http.post(
        f"{gateway}/admin/v1/organisations/{response.json()['id']}/clients",
        json={"name": "bench-partner", "roles": [Role.WRITER.value], "scopes": ["enrolment:read"]},
        headers=headers,
    )
    response.raise_for_status()
    return response.json()["client_id"], response.json()["client_secret"]


async def _beneficiary(http: httpx.AsyncClient, enrolment: str, token: str) -> str:
    response = await http.post(
        f"{enrolment}/v1/beneficiaries",
        json={
            "given_name": "Bench",
            "family_name": f"Person-{uuid.uuid4().hex[:12]}",
            "birth_date": "1990-01-01",
            "nationality": "AFG",
            "protection_status": "refugee",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    beneficiary: str = response.json()["id"]
    return beneficiary


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- load generators (separate processes) -------------------------------------------------------------------


async def _open_loop(urls: list[str], token: str, rate: int) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "benchmarks.load", "open", *urls, "-H", f"Authorization: Bearer {token}"]
    command += ["--rate", str(rate), "--duration", str(FIXED_S), "--warmup", "2"]
    goals: list[dict[str, Any]] = (await json_from(command))["goals"]
    return goals


# ---- the section ---------------------------------------------------------------------------------------------


async def run(environment: BenchEnvironment, report: Report) -> None:
    wrk = ensure_wrk()
    gateway_port, enrolment_port = find_free_port(), find_free_port()
    gateway, enrolment = f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{enrolment_port}"
    async with environment.database() as gateway_db, environment.database() as enrolment_db:
        await asyncio.to_thread(upgrade, GATEWAY_ROOT, gateway_db)
        await asyncio.to_thread(upgrade, ENROLMENT_ROOT, enrolment_db)
        gateway_env = _gateway_env(gateway_db, enrolment, environment.work_dir / "gateway")
        admin_id, admin_secret = await asyncio.to_thread(_create_admin, gateway_env)
        # Started as the platform runner starts it (its HTTP protocol included).
        gateway_process = spawn_uvicorn(GATEWAY.factory, gateway_port, gateway_env, GATEWAY.uvicorn_options)
        enrolment_process = spawn_uvicorn(
            "enrolment_service.main:create_app",
            enrolment_port,
            {
                "HOPE_ENROLMENT_DATABASE_URL": enrolment_db,
                "HOPE_ENROLMENT_KAFKA_BOOTSTRAP": environment.kafka_bootstrap,
                "HOPE_ENROLMENT_JWKS_URL": f"{gateway}/.well-known/jwks.json",
                "HOPE_ENROLMENT_ENVIRONMENT": "test",
                "HOPE_ENROLMENT_VAR_DIR": str(environment.work_dir / "enrolment"),
                "HOPE_ENROLMENT_LOG_LEVEL": "WARNING",
            },
        )
        try:
            await wait_ready(gateway, gateway_process, "gateway")
            await wait_ready(enrolment, enrolment_process, "enrolment")
            await _measure(
                Servers(gateway, enrolment, gateway_process, enrolment_process),
                (admin_id, admin_secret),
                wrk,
                environment.work_dir,
                report,
            )
        finally:
            for process in (gateway_process, enrolment_process):
                process.terminate()
            for process in (gateway_process, enrolment_process):
                process.wait(timeout=20)
    await _verification(report)


async def _measure(servers: Servers, admin: tuple[str, str], wrk: str | None, work_dir: Path, report: Report) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        admin_token = await _token(http, servers.gateway, *admin)
        client_id, client_secret = await _bench_client(http, servers.gateway, admin_token)
        token = await _token(http, servers.gateway, client_id, client_secret)
        beneficiary = await _beneficiary(http, servers.enrolment, token)
        urls = {
            "direct": f"{servers.enrolment}/v1/beneficiaries/{beneficiary}",
            "gateway": f"{servers.gateway}/api/enrolment/v1/beneficiaries/{beneficiary}",
        }
        for url in urls.values():
            response = await http.get(url, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
    headers = [f"Authorization: Bearer {token}"]
    generator = "wrk " + wrk_version(wrk) if wrk else "benchmarks.load closed (2 processes)"
    section = "gateway: the load"
    report.add(section, "fixed rate", "benchmarks.load open loop (own process, pacing thread, targets interleaved)")
    report.add(section, "saturation", f"{generator} (own process, 1 thread)")
    report.add(section, "machine", f"{os.cpu_count()} cores shared by generator, gateway, enrolment, PostgreSQL")

    # Warm-up: connections, the enrolment's pool and caches, the gateway's key ring.
    for url in urls.values():
        await saturate(wrk, work_dir, url, headers, CONNECTIONS, 2)

    runs: dict[str, list[Saturation]] = {"direct": [], "gateway": []}
    cpu = {"gateway": 0.0, "enrolment": 0.0}
    proxied = 0
    for _ in range(ROUNDS):
        for name, url in urls.items():
            before = {
                "gateway": _cpu_s(servers.gateway_process.pid),
                "enrolment": _cpu_s(servers.enrolment_process.pid),
            }
            measured = await saturate(wrk, work_dir, url, headers, CONNECTIONS, SATURATION_S)
            runs[name].append(measured)
            if name == "gateway":
                proxied += measured.requests + measured.errors
                cpu["gateway"] += _cpu_s(servers.gateway_process.pid) - before["gateway"]
                cpu["enrolment"] += _cpu_s(servers.enrolment_process.pid) - before["enrolment"]
    rates = {name: sum(r.requests for r in v) / sum(r.seconds for r in v) for name, v in runs.items()}
    direct_rate = rates["direct"]
    section = f"gateway: beneficiary read at saturation ({CONNECTIONS} connections, {ROUNDS}x{SATURATION_S}s each)"
    for name in urls:
        last = runs[name][-1]
        tail = f", p50 {last.p50_ms:.1f} / p99 {last.p99_ms:.1f} ms" if last.p99_ms is not None else ""
        failed = sum(r.errors for r in runs[name])
        report.add(section, name, f"{rates[name]:,.0f} req/s ({failed} errors{tail})")
    report.add(section, "gateway / direct", f"{rates['gateway'] / rates['direct']:.0%}", ">= 70 %")
    if proxied:
        report.add(section, "gateway CPU per proxied request", f"{cpu['gateway'] / proxied * 1000:.2f} ms")
        report.add(section, "enrolment CPU per request", f"{cpu['enrolment'] / proxied * 1000:.2f} ms")

    # One generator, direct and gateway requests alternating: both meet the same background load.
    # Below saturation, so that the figures are the gateway's cost and not queueing: enrolment meets both targets'
    # requests, at most RATE_SHARE of what it answered at saturation.
    rate = max(1, min(RATE, int(direct_rate * RATE_SHARE / 2)))
    rounds = [
        dict(zip(urls, await _open_loop(list(urls.values()), token, rate), strict=True)) for _ in range(FIXED_ROUNDS)
    ]
    _report_fixed_rate(rounds, rate, report)

    await _token_endpoint(servers.gateway, client_id, client_secret, wrk, work_dir, report)


def _report_fixed_rate(rounds: list[dict[str, dict[str, Any]]], rate: int, report: Report) -> None:
    def ms(values: list[float]) -> list[float]:
        return [value * 1000 for value in values]

    pooled = {name: ms([s for found in rounds for s in found[name]["latency_s"]]) for name in rounds[0]}
    errors = {name: sum(found[name]["errors"] for found in rounds) for name in rounds[0]}
    section = f"gateway: beneficiary read at {rate} req/s each (open loop, interleaved, {FIXED_ROUNDS}x{FIXED_S}s)"
    for name, latencies in pooled.items():
        p50, p99 = quantile(latencies, 0.50), quantile(latencies, 0.99)
        report.add(section, f"{name} p50 / p99", f"{p50:.2f} / {p99:.2f} ms ({errors[name]} errors)")
    for fraction, label, target in ((0.50, "p50", "<= 1 ms, whole interval"), (0.99, "p99", "<= 3 ms, whole interval")):
        added = quantile_difference(pooled["direct"], pooled["gateway"], fraction)
        report.add(section, f"added {label}", added.describe("ms"), target)
    per_round = [
        quantile(ms(found["gateway"]["latency_s"]), 0.99) - quantile(ms(found["direct"]["latency_s"]), 0.99)
        for found in rounds
    ]
    report.add(section, "added p99, each round", ", ".join(f"{value:.2f}" for value in per_round) + " ms")
    lateness = ms([lag for found in rounds for result in found.values() for lag in result["lateness_s"]])
    report.add(
        section,
        "generator send lag p50 / p99",
        f"{quantile(lateness, 0.5):.2f} / {quantile(lateness, 0.99):.2f} ms (in both)",
    )


async def _token_endpoint(
    gateway: str, client_id: str, secret: str, wrk: str | None, work_dir: Path, report: Report
) -> None:
    body = f"grant_type=client_credentials&client_id={client_id}&client_secret={secret}"
    headers = ["Content-Type: application/x-www-form-urlencoded"]
    url = f"{gateway}/oauth/token"
    measured = await saturate(wrk, work_dir, url, headers, TOKEN_CONNECTIONS, TOKEN_S, method="POST", body=body)
    stored = await hash_secret(new_secret())
    candidate = new_secret()
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        await secret_matches(candidate, stored)
        timings.append(time.perf_counter() - started)
    section = f"gateway: POST /oauth/token at saturation ({TOKEN_CONNECTIONS} connections, {TOKEN_S}s)"
    report.add(section, "tokens", f"{measured.per_s:,.1f} tokens/s ({measured.errors} errors)")
    report.add(section, "argon2id verify per request", f"{statistics.median(timings) * 1000:.1f} ms (by design)")


class _OneKey:
    def __init__(self, kid: str, key: PyJWK) -> None:
        self._kid, self._key = kid, key

    async def key_for(self, kid: str) -> PyJWK | None:
        return self._key if kid == self._kid else None


async def _verification(report: Report) -> None:
    key = generate_signing_key()
    issuer, audience = "https://gateway.hope.bench", "hope-platform"
    verifier = TokenVerifier(_OneKey(key.kid, PyJWK(key.public_jwk())), issuer=issuer, audience=audience)

    def mint() -> str:
        return mint_token(
            key,
            issuer=issuer,
            audience=audience,
            subject="bench",
            org_id=uuid.uuid4(),
            org_kind=OrgKind.TRAINING_PROVIDER,
            roles=[Role.READER],
            scopes=["enrolment:read"],
        )

    fresh = [mint() for _ in range(2_000)]
    once = await _per_call(verifier, iter(fresh).__next__, len(fresh))
    again = fresh[0]
    repeated = await _per_call(verifier, lambda: again, 20_000)
    section = "token verification in process (TokenVerifier.verify, keys cached)"
    report.add(section, "a token seen for the first time", f"{once:.0f} µs/call")
    report.add(section, "the same token again", f"{repeated:.1f} µs/call")


async def _per_call(verifier: TokenVerifier, token: Callable[[], str], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await verifier.verify(token())
    return (time.perf_counter() - started) / calls * 1_000_000
