"""The whole platform as real processes (``hope-platform run``) on free ports under one folder: for ``make demo``'s
tests and the end-to-end tests, which must meet the platform exactly as a partner does, through its gateway."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from hope_infra.kafka import find_free_port
from hope_infra.services import SERVICES


@dataclass(frozen=True)
class RunningPlatform:
    gateway_url: str
    var_dir: Path
    ports: Mapping[str, int]

    @property
    def admin_client(self) -> dict[str, str]:
        credentials: dict[str, str] = json.loads((self.var_dir / "keys" / "admin-client.json").read_text())
        return credentials


def platform_environment(var_dir: Path, ports: Mapping[str, int], database_urls: Mapping[str, str]) -> dict[str, str]:
    """Every service on its own port, the gateway told where they are, the services where the gateway's keys are."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HOPE_")}
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    for service in SERVICES:
        prefix = service.env_prefix
        env[prefix + "PORT"] = str(ports[service.name])
        if service.name in database_urls:
            env[prefix + "DATABASE_URL"] = database_urls[service.name]
        if service.name == "gateway":
            continue
        env[prefix + "JWKS_URL"] = f"{gateway}/.well-known/jwks.json"
        env[f"HOPE_GATEWAY_UPSTREAMS__{service.name.upper()}"] = f"http://127.0.0.1:{ports[service.name]}"
    # The demo plays years of a programme in minutes: one client makes far more calls than a partner's system.
    for role in ("admin", "writer", "reader", "medical"):
        env[f"HOPE_GATEWAY_RATE_LIMITS__{role.upper()}"] = "1000000"
    for limit in ("PER_CLIENT", "PER_ADDRESS"):
        env[f"HOPE_GATEWAY_TOKEN_ATTEMPTS_{limit}"] = "100000"
    return env


@contextlib.contextmanager
def running_platform(
    var_dir: Path, database_urls: Mapping[str, str] | None = None, timeout_s: float = 480
) -> Iterator[RunningPlatform]:
    """``hope-platform run`` with its own Kafka, every process on a free port; stopped (SIGTERM) on leaving."""
    var_dir.mkdir(parents=True, exist_ok=True)
    ports = {service.name: find_free_port() for service in SERVICES}
    env = platform_environment(var_dir, ports, database_urls or {})
    command = [sys.executable, "-m", "hope_infra.platform", "run", "--var-dir", str(var_dir)]
    command += ["--kafka-port", str(find_free_port()), "--zookeeper-port", str(find_free_port())]
    log = (var_dir / "platform.log").open("ab")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_ready(process, ports, var_dir, timeout_s)
        yield RunningPlatform(f"http://127.0.0.1:{ports['gateway']}", var_dir, ports)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _wait_until_ready(
    process: subprocess.Popen[bytes], ports: Mapping[str, int], var_dir: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    waiting = dict(ports)
    while waiting:
        if process.poll() is not None:
            tail = (var_dir / "platform.log").read_text(errors="replace")[-4000:]
            raise RuntimeError(f"the platform stopped during start-up ({process.returncode}):\n{tail}")
        for name, port in list(waiting.items()):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                    del waiting[name]
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(waiting)} (see {var_dir / 'platform.log'})")
        time.sleep(0.3)
