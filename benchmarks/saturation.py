"""Load at saturation from wrk (or, without it, ``benchmarks.load closed``), run as its own process."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]


async def json_from(command: list[str]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(*command, stdout=subprocess.PIPE, cwd=REPOSITORY)
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed with exit code {process.returncode}")
    result: dict[str, Any] = json.loads(out)
    return result


def ensure_wrk() -> str | None:
    """wrk from Debian, installed like the Kafka provisioner installs Java; None means use the Python fallback."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return found
    print("  wrk not found, installing it with apt-get", flush=True)
    install = ["apt-get", "install", "-y", "--no-install-recommends", "wrk"]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True, check=False)
        subprocess.run(install, capture_output=True, check=False)
    return shutil.which("wrk")


@dataclass
class Saturation:
    requests: int
    errors: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str, label: str) -> float | None:
    found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    return float(found.group(1)) * _WRK_UNITS[found.group(2)] if found else None


async def saturate(
    wrk: str | None,
    work_dir: Path,
    url: str,
    headers: list[str],
    connections: int,
    seconds: float,
    *,
    method: str = "GET",
    body: str = "",
) -> Saturation:
    if wrk is None:
        command = [sys.executable, "-m", "benchmarks.load", "closed", url, "--connections", str(connections)]
        command += ["--duration", str(seconds), "--warmup", "1", "--processes", "2", "--method", method]
        command += ["--body", body]
        for header in headers:
            command += ["-H", header]
        result = await json_from(command)
        return Saturation(result["requests"], result["errors"], seconds)
    script = work_dir / f"wrk-{uuid.uuid4().hex[:6]}.lua"
    lua_headers = "".join(
        f"wrk.headers[{json.dumps(h.split(':', 1)[0])}] = {json.dumps(h.split(':', 1)[1].strip())}\n" for h in headers
    )
    # No body at all for a GET (an empty one would still send Content-Length: 0).
    lua_body = f"wrk.body = {json.dumps(body)}\n" if body else ""
    script.write_text(f"wrk.method = {json.dumps(method)}\n{lua_body}{lua_headers}")
    # One wrk thread: the machine's two cores are needed by the servers; wrk keeps up with far more than this.
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    process = await asyncio.create_subprocess_exec(*command, stdout=subprocess.PIPE)
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed:\n{out.decode()}")
    return parse_wrk(out.decode())


def parse_wrk(text: str) -> Saturation:
    """wrk's report: answers other than 2xx/3xx and socket errors are errors, not answers."""
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", text)
    if total is None:
        raise RuntimeError(f"wrk failed:\n{text}")
    elapsed = float(total.group(2)) * _WRK_UNITS[total.group(3)] / 1000
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Saturation(int(total.group(1)) - errors, errors, elapsed, _wrk_ms(text, "50%"), _wrk_ms(text, "99%"))


def wrk_version(wrk: str | None) -> str:
    if wrk is None:
        return ""
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"wrk (\S+)", out)
    return found.group(1) if found else ""
