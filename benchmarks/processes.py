"""Services under measurement run as their own uvicorn processes; what the sections read off them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx


def spawn_uvicorn(
    app_factory: str, port: int, env: Mapping[str, str], options: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    """``app_factory`` such as ``enrolment_service.main:create_app``; no access log, warnings only; ``options``
    as the platform runner gives them (``ServiceProcess.uvicorn_options``)."""
    command = [sys.executable, "-m", "uvicorn", app_factory, "--factory", "--port", str(port), "--no-access-log"]
    return subprocess.Popen([*command, "--log-level", "warning", *options], env={**os.environ, **env})


async def wait_ready(base: str, process: subprocess.Popen[bytes], name: str, timeout_s: float = 30) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(int(timeout_s * 10)):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited during start-up")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{base}/health/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{name} not ready")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM")


def current_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
