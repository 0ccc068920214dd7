"""Creates a service from the template and registers it: one call, what ``hope new-service`` runs."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hope_contracts.registry import NAME, Service
from hope_infra.template import register
from hope_infra.template.render import render_tree


@dataclass(frozen=True)
class NewService:
    name: str
    port: int
    owns: str = "what this service owns"

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError("a service name is 2 to 30 lower-case letters (it is part of event types and topics)")
        if not 1024 <= self.port <= 65535:
            raise ValueError("the port must be between 1024 and 65535")

    def context(self) -> dict[str, Any]:
        service = Service(name=self.name, port=self.port, path=f"services/{self.name}")
        return {
            "name": service.name,
            "Name": service.name.capitalize(),
            "title": f"HOPE {service.name}",
            "owns": self.owns,
            "port": service.port,
            "path": service.path,
            "package": service.package,
            "distribution": service.distribution,
            "env_prefix": service.env_prefix,
            "topic": service.topic,
            "today": datetime.now(UTC).date().isoformat(),
        }


def create_service(root: Path, new: NewService, *, lock: bool = True) -> list[Path]:
    """Writes ``services/<name>/`` and the service's contracts, registers it, and (``lock``) updates ``uv.lock``.
    Returns the files written for the service."""
    context = new.context()
    target = root / context["path"]
    if target.exists():
        raise register.RegistrationError(f"{target} exists already")
    # The registry first: it refuses a name or a port that is taken before anything is written.
    register.registry(root, context)
    written = render_tree("service", target, context)
    register.contracts(root, context)
    register.workspace(root, context)
    register.import_contracts(root, context)
    register.compose(root, context)
    register.databases(root, context)
    _tidy(root, [target, root / register.CONTRACTS_INIT.parent / f"{new.name}.py"])
    if lock:
        subprocess.run([*uv_command(), "lock"], cwd=root, check=True)
    return written


def _tidy(root: Path, paths: list[Path]) -> None:
    """Sorts the generated imports as ruff does: where ``<name>_service`` falls among the first-party packages
    depends on the name, so the templates cannot hold the order."""
    if importlib.util.find_spec("ruff") is None:  # installed without the dev tools: the code runs as it is
        return
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix", "--select", "I", "--quiet", *map(str, paths)], cwd=root, check=True)
    subprocess.run([*ruff, "format", "--quiet", *map(str, paths)], cwd=root, check=True)


def uv_command() -> list[str]:
    """uv as the Makefile runs it: on the PATH, else the module of the system's python3 (``make install``)."""
    found = shutil.which("uv")
    return [found] if found else ["python3", "-m", "uv"]
