"""One local ZooKeeper and one Kafka broker, run as child JVMs for development and tests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from aiokafka.admin import AIOKafkaAdminClient

from hope_infra.kafka.provision import KafkaDistribution, ensure_distribution

_T = TypeVar("_T")
_log = logging.getLogger(__name__)

_ZOOKEEPER_MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain"
_BROKER_MAIN = "kafka.Kafka"
# Logged once the broker has registered in ZooKeeper and its request processors run; probing earlier only
# makes aiokafka log warnings about missing broker metadata.
_BROKER_STARTED = "[KafkaServer id=0] started"
_JVM_OPTIONS = (
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
)
_LOG4J = """\
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
"""


class KafkaStartError(RuntimeError):
    """The local ZooKeeper or broker did not come up."""


class PortInUseError(KafkaStartError):
    """A port the local Kafka needs is already taken by another process."""


# Ports this process has already handed out. The kernel may give the same free port to two probes in a row once
# the first probe is closed: two services of one platform were once told the same port, one of them could not
# listen, and the other answered in its place.
_HANDED_OUT: set[int] = set()


def find_free_port() -> int:
    """A port free on ``127.0.0.1`` now, and never one this process was given before."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port
    raise OSError("no free port that this process has not already handed out")


class LocalKafka:
    """ZooKeeper plus a single broker listening on ``127.0.0.1``, with all state under ``data_dir``.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. Each start rewrites
    ``data_dir/zookeeper.log`` and ``data_dir/broker.log``; topics and offsets persist across starts.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int = 9092,
        zk_port: int = 2181,
        distribution: KafkaDistribution | None = None,
        broker_heap: str = "256m",
        zookeeper_heap: str = "64m",
        start_timeout: float = 60.0,
        stop_timeout: float = 20.0,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.zk_port = zk_port
        self._distribution = distribution
        self._broker_heap = broker_heap
        self._zookeeper_heap = zookeeper_heap
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._zookeeper: subprocess.Popen[bytes] | None = None
        self._broker: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def zookeeper_log(self) -> Path:
        return self.data_dir / "zookeeper.log"

    @property
    def broker_log(self) -> Path:
        return self.data_dir / "broker.log"

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in (self._broker, self._zookeeper) if process is not None]

    def running(self) -> bool:
        """Whether both JVMs are alive."""
        processes = (self._zookeeper, self._broker)
        return all(process is not None and process.poll() is None for process in processes)

    def start(self) -> None:
        """Start ZooKeeper then the broker and block until the broker serves metadata with a controller."""
        if self._broker is not None or self._zookeeper is not None:
            raise KafkaStartError("this LocalKafka is already started")
        distribution = self._distribution or ensure_distribution()
        self._refuse_taken_ports()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log4j = self.data_dir / "log4j.properties"
        log4j.write_text(_LOG4J)
        deadline = time.monotonic() + self._start_timeout
        try:
            self._zookeeper = self._spawn(
                distribution,
                "zookeeper",
                heap=self._zookeeper_heap,
                classpath=distribution.zookeeper_classpath,
                main=(_ZOOKEEPER_MAIN, str(self._write_zookeeper_config())),
                log4j=log4j,
            )
            self._wait_for_port(self.zk_port, self._zookeeper, self.zookeeper_log, deadline)
            self._wait_for_stale_sessions_to_expire(deadline)
            self._broker = self._spawn(
                distribution,
                "broker",
                heap=self._broker_heap,
                classpath=distribution.broker_classpath,
                main=(_BROKER_MAIN, str(self._write_broker_config())),
                log4j=log4j,
            )
            self._wait_for_log_line(self._broker, self.broker_log, _BROKER_STARTED, deadline)
            self._wait_for_broker(_has_controller, "the broker did not report a controller", deadline)
            # On a new broker the first consumer group creates the offsets topic: done here, so that the services'
            # consumers do not each log GroupCoordinatorNotAvailableError as errors while it is created.
            self._wait_for_broker(_has_group_coordinator, "the broker did not name a group coordinator", deadline)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the broker first (it needs ZooKeeper to shut down cleanly), then ZooKeeper."""
        for role in ("broker", "zookeeper"):
            process: subprocess.Popen[bytes] | None = getattr(self, f"_{role}")
            if process is not None:
                _terminate(process, self._stop_timeout)
                setattr(self, f"_{role}", None)
                (self.data_dir / f"{role}.pid").unlink(missing_ok=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _refuse_taken_ports(self) -> None:
        for role, port in (("ZooKeeper", self.zk_port), ("Kafka broker", self.port)):
            if not _port_is_free(port):
                raise PortInUseError(
                    f"cannot start the local {role}: port {port} on 127.0.0.1 is already in use "
                    f"by another process{self._stale_hint()}; stop it or choose another port"
                )

    def _stale_hint(self) -> str:
        stale = []
        for pid_file in ("broker.pid", "zookeeper.pid"):
            path = self.data_dir / pid_file
            with contextlib.suppress(OSError, ValueError):
                pid = int(path.read_text().strip())
                os.kill(pid, 0)
                stale.append(f"pid {pid} from {path}")
        return f" (another LocalKafka on {self.data_dir} seems alive: {', '.join(stale)})" if stale else ""

    def _write_zookeeper_config(self) -> Path:
        config = self.data_dir / "zookeeper.properties"
        _write_properties(
            config,
            {
                "dataDir": self.data_dir / "zookeeper",
                "clientPort": self.zk_port,
                "clientPortAddress": "127.0.0.1",
                "maxClientCnxns": 0,
                "admin.enableServer": "false",
            },
        )
        return config

    def _write_broker_config(self) -> Path:
        config = self.data_dir / "server.properties"
        listener = f"PLAINTEXT://127.0.0.1:{self.port}"
        _write_properties(
            config,
            {
                "broker.id": 0,
                "listeners": listener,
                "advertised.listeners": listener,
                "log.dirs": self.data_dir / "kafka-logs",
                "zookeeper.connect": f"127.0.0.1:{self.zk_port}",
                "zookeeper.connection.timeout.ms": 30000,
                "num.partitions": 3,
                "default.replication.factor": 1,
                "min.insync.replicas": 1,
                "auto.create.topics.enable": "false",
                "delete.topic.enable": "true",
                "group.initial.rebalance.delay.ms": 0,
                # A single broker cannot meet the default replication factor of 3 for these internal topics.
                "offsets.topic.replication.factor": 1,
                "transaction.state.log.replication.factor": 1,
                "transaction.state.log.min.isr": 1,
                # Fewer internal partitions make the first consumer group and transaction start quickly.
                "offsets.topic.num.partitions": 10,
                "transaction.state.log.num.partitions": 10,
            },
        )
        return config

    def _spawn(
        self,
        distribution: KafkaDistribution,
        role: str,
        *,
        heap: str,
        classpath: str,
        main: tuple[str, str],
        log4j: Path,
    ) -> subprocess.Popen[bytes]:
        command = [
            str(distribution.java),
            f"-Xmx{heap}",
            f"-Xms{heap}",
            *_JVM_OPTIONS,
            f"-Dlog4j.configuration=file:{log4j}",
            f"-Dkafka.logs.dir={self.data_dir}",
            "-cp",
            classpath,
            *main,
        ]
        with (self.data_dir / f"{role}.log").open("wb") as log:
            # A new session keeps a terminal's Ctrl-C away from the JVMs, so stop() shuts them down in order.
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,
            )
        (self.data_dir / f"{role}.pid").write_text(f"{process.pid}\n")
        return process

    def _wait_for_port(self, port: int, process: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
        while True:
            self._check_alive(process, log)
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
            self._check_deadline(deadline, f"nothing listened on 127.0.0.1:{port}", log)
            time.sleep(0.05)

    def _wait_for_stale_sessions_to_expire(self, deadline: float) -> None:
        # A broker that was killed leaves its /brokers/ids/0 node behind until ZooKeeper expires its
        # session; a new broker started before that refuses to register and exits.
        warned = False
        while (sessions := _sessions_with_ephemerals(self.zk_port)) != 0:
            if not warned and sessions is not None:
                _log.warning(
                    "waiting for ZooKeeper to expire %d session(s) left by a broker that was not stopped cleanly",
                    sessions,
                )
                warned = True
            assert self._zookeeper is not None
            self._check_alive(self._zookeeper, self.zookeeper_log)
            self._check_deadline(deadline, "ZooKeeper did not expire a stale broker session", self.zookeeper_log)
            time.sleep(0.25)

    def _wait_for_log_line(self, process: subprocess.Popen[bytes], log: Path, needle: str, deadline: float) -> None:
        encoded = needle.encode()
        while True:
            self._check_alive(process, log)
            if encoded in log.read_bytes():
                return
            self._check_deadline(deadline, f"{log.stem} did not log {needle!r}", log)
            time.sleep(0.05)

    def _wait_for_broker(self, ready: Callable[[str], Coroutine[Any, Any, bool]], what: str, deadline: float) -> None:
        while True:
            assert self._broker is not None
            self._check_alive(self._broker, self.broker_log)
            if _run_coroutine(lambda: ready(self.bootstrap_servers)):
                return
            self._check_deadline(deadline, what, self.broker_log)
            time.sleep(0.1)

    def _check_alive(self, process: subprocess.Popen[bytes], log: Path) -> None:
        code = process.poll()
        if code is not None:
            raise KafkaStartError(f"{log.stem} exited with code {code} while starting\n{_tail(log)}")

    def _check_deadline(self, deadline: float, what: str, log: Path) -> None:
        if time.monotonic() > deadline:
            raise KafkaStartError(f"{what} within {self._start_timeout:.0f} s\n{_tail(log)}")


async def _ask_admin(bootstrap: str, question: Callable[[AIOKafkaAdminClient], Awaitable[_T]]) -> _T | None:
    """The answer, or None while the broker cannot give it yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await admin.start()
        return await question(admin)
    except Exception:
        return None
    finally:
        await admin.close()


async def _has_controller(bootstrap: str) -> bool:
    cluster: dict[str, Any] | None = await _ask_admin(bootstrap, lambda admin: admin.describe_cluster())
    return cluster is not None and bool(cluster.get("brokers")) and cluster.get("controller_id", -1) >= 0


async def _has_group_coordinator(bootstrap: str) -> bool:
    return await _ask_admin(bootstrap, lambda admin: admin.find_coordinator("hope-local-readiness")) is not None


def _run_coroutine(factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine to completion from sync code, even when the calling thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def _sessions_with_ephemerals(zk_port: int) -> int | None:
    """How many sessions own ephemeral nodes, from the four-letter word ``dump``.

    None while ZooKeeper still loads its database; 0 when it does not answer ``dump`` at all.
    """
    reply = b""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", zk_port), timeout=2) as zk:
        zk.sendall(b"dump")
        while chunk := zk.recv(4096):
            reply += chunk
    if b"not currently serving" in reply:
        return None
    match = re.search(rb"Sessions with Ephemerals \((\d+)\)", reply)
    return int(match.group(1)) if match else 0


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # The JVM binds with SO_REUSEADDR too, so a socket in TIME_WAIT must not count as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _terminate(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _write_properties(path: Path, values: dict[str, object]) -> None:
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))


def _tail(log: Path, lines: int = 30) -> str:
    try:
        content = log.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {log})"
    # A failing broker logs its cause first and then many lines of orderly shutdown.
    errors = [line for line in content if " ERROR " in line or " FATAL " in line][:10]
    report = [f"--- errors in {log} ---", *errors] if errors else []
    report += [f"--- last {min(lines, len(content))} lines of {log} ---", *content[-lines:]]
    return "\n".join(report)
