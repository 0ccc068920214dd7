"""``hope-platform run``: the whole platform on one machine, on embedded defaults.

Starts a local Kafka unless ``HOPE_KAFKA_BOOTSTRAP`` is set, makes the development signing key,
migrates each service's database (SQLite files under ``var/`` unless ``HOPE_<NAME>_DATABASE_URL`` is set),
starts the services with their relays and consumers, says when it is ready, and stops everything it
started on Ctrl-C or SIGTERM. A service or the local Kafka that dies meanwhile is started again with backoff
(``hope_infra.supervisor``); only Ctrl-C or SIGTERM stops the platform.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

import httpx

from hope_infra.kafka import PLATFORM_TOPICS, LocalKafka, ensure_topics
from hope_infra.services import GATEWAY_PORT, SERVICES, ServiceProcess
from hope_infra.supervisor import ChildProcess, Supervisor
from hopekit.db.migrations import upgrade
from hopekit.identity.keys import ensure_dev_keys


class _Stop(Exception):
    pass


def _on_signal(signum: int, frame: FrameType | None) -> None:
    # Ctrl-C reaches make, uv and this process at once, and uv forwards it again: only the first signal stops
    # the platform; the others must not interrupt the orderly shutdown it starts.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stop


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hope-platform", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the whole platform until interrupted")
    run.add_argument("--var-dir", type=Path, default=Path("var"))
    run.add_argument("--kafka-port", type=int, default=int(os.environ.get("HOPE_KAFKA_PORT", "9092")))
    run.add_argument("--zookeeper-port", type=int, default=int(os.environ.get("HOPE_ZOOKEEPER_PORT", "2181")))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    return _run(args.var_dir.resolve(), args.kafka_port, args.zookeeper_port)


def _run(var_dir: Path, kafka_port: int, zookeeper_port: int) -> int:
    bootstrap = os.environ.get("HOPE_KAFKA_BOOTSTRAP")
    _refuse_shared_ports({} if bootstrap else {"kafka": kafka_port, "zookeeper": zookeeper_port})
    supervisor = Supervisor(_say)
    try:
        if not bootstrap:
            kafka = LocalKafka(var_dir / "kafka", port=kafka_port, zk_port=zookeeper_port)
            _say(f"starting a local Kafka on 127.0.0.1:{kafka_port}")
            kafka.start()
            supervisor.adopt(KafkaChild(kafka))
            bootstrap = kafka.bootstrap_servers
        asyncio.run(ensure_topics(bootstrap, PLATFORM_TOPICS))
        ensure_dev_keys(var_dir / "keys")
        started: list[tuple[ServiceProcess, int]] = []
        for service in SERVICES:
            env = _service_env(service, var_dir, bootstrap)
            if service.has_migrations:
                upgrade(service.root(), env[service.env_prefix + "DATABASE_URL"])
            if service.name == "gateway":
                _ensure_admin_client(env, var_dir / "keys" / "admin-client.json")
            child = ChildProcess(service.name, functools.partial(_start, service, env))
            child.start()
            supervisor.adopt(child)
            port = int(env[service.env_prefix + "PORT"])
            started.append((service, port))
            _wait_ready(service, child, port)
        _say("HOPE platform ready:")
        for service, port in started:
            _say(f"  {service.name:<12} http://127.0.0.1:{port}/docs")
        _say(f"  kafka        {bootstrap}")
        _say(f"Operator admin client (client credentials): {var_dir / 'keys' / 'admin-client.json'}")
        _say("Or a development token: python3 -m uv run hope dev-token --org-kind programme_operator --roles admin")
        _say(
            "A person signs in at http://127.0.0.1:8000/sign-in; the first one is invited with: "
            "python3 -m uv run hope-gateway invite-operator --email you@example.org (it prints the link)"
        )
        _say("A process that dies is started again. Ctrl-C stops everything.")
        supervise(supervisor)
    except _Stop:
        _say("stopping")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop_all()
        _say("stopped")


def _refuse_shared_ports(others: dict[str, int]) -> None:
    """Two processes told one port: the second cannot listen and the first would answer for both."""
    told = {service.name: int(os.environ.get(service.env_prefix + "PORT", service.port)) for service in SERVICES}
    by_port: dict[int, list[str]] = {}
    for name, port in {**told, **others}.items():
        by_port.setdefault(port, []).append(name)
    shared = [f"{port} ({', '.join(names)})" for port, names in sorted(by_port.items()) if len(names) > 1]
    if shared:
        raise SystemExit(f"[hope] one port told to several processes: {'; '.join(shared)}")


def supervise(supervisor: Supervisor, interval_s: float = 0.5) -> NoReturn:
    """Until a signal stops the platform: restart what died."""
    while True:
        supervisor.check()
        time.sleep(interval_s)


class KafkaChild:
    """The local Kafka as one supervised child: if the broker or ZooKeeper dies, both are started again."""

    name = "kafka"

    def __init__(self, kafka: LocalKafka) -> None:
        self._kafka = kafka

    def start(self) -> None:
        self._kafka.start()

    def exit_status(self) -> str | None:
        return None if self._kafka.running() else "stopped (broker or ZooKeeper)"

    def stop(self) -> None:
        self._kafka.stop()


def _service_env(service: ServiceProcess, var_dir: Path, bootstrap: str) -> dict[str, str]:
    env = dict(os.environ)
    prefix = service.env_prefix
    env.setdefault(prefix + "DATABASE_URL", f"sqlite+aiosqlite:///{var_dir / (service.name + '.db')}")
    env.setdefault(prefix + "KAFKA_BOOTSTRAP", bootstrap)
    env.setdefault(prefix + "VAR_DIR", str(var_dir))
    env.setdefault(prefix + "PORT", str(service.port))
    if service.name != "gateway":
        env.setdefault(prefix + "JWKS_URL", f"http://127.0.0.1:{GATEWAY_PORT}/.well-known/jwks.json")
    if service.name == "support" and prefix + "KEK" not in env:
        # Medical notes are sealed under a key-encryption key: on one machine, a development key beside the others.
        env.setdefault(prefix + "KEK_FILE", str(_ensure_dev_kek(var_dir / "keys" / "support-kek")))
    return env


def _ensure_dev_kek(path: Path) -> Path:
    """A development key-encryption key for the support service (base64 of 32 random bytes), made once."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    return path


def _ensure_admin_client(env: dict[str, str], path: Path) -> None:
    """The programme operator's first admin client, made once per installation and kept beside the keys."""
    if path.exists():
        return
    made = subprocess.run(
        [sys.executable, "-m", "gateway_service.cli", "create-admin"], env=env, capture_output=True, check=False
    )
    if made.returncode != 0:
        raise RuntimeError(f"could not create the first admin client: {made.stderr.decode(errors='replace')}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made.stdout)
    path.chmod(0o600)


def _start(service: ServiceProcess, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        service.factory,
        "--factory",
        "--host",
        env.get(service.env_prefix + "HOST", "127.0.0.1"),
        "--port",
        env[service.env_prefix + "PORT"],
        "--no-access-log",
        "--log-level",
        "warning",
        *service.uvicorn_options,
    ]
    return subprocess.Popen(command, env=env)


def _wait_ready(service: ServiceProcess, child: ChildProcess, port: int, timeout_s: float = 60) -> None:
    """A service that cannot start at all stops the platform: restarting it would fail the same way."""
    deadline = time.monotonic() + timeout_s
    # Where it was told to listen (HOPE_<NAME>_PORT), which may not be its registry port.
    url = f"http://127.0.0.1:{port}/health/ready"
    while True:
        status = child.exit_status()
        if status is not None:
            raise RuntimeError(f"{service.name} {status} during start-up")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{service.name} not ready after {timeout_s:.0f}s ({url})")
        time.sleep(0.2)


def _say(message: str) -> None:
    print(f"[hope] {message}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
