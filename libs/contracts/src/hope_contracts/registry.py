"""The platform's services, read from ``services.toml`` next to this file: the single list every other part reads."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

NAME = re.compile(r"^[a-z]{2,30}$")
"""A service name: lower-case letters only, as in event types (``fr.hope.<service>....``) and topics."""

DEAD_LETTERS = "hope.dlq"


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    path: str
    publishes: bool = True
    planned: bool = False
    http: str | None = None

    @property
    def package(self) -> str:
        return f"{self.name}_service"

    @property
    def distribution(self) -> str:
        return f"{self.name}-service"

    @property
    def topic(self) -> str:
        return f"hope.{self.name}.events"

    @property
    def env_prefix(self) -> str:
        return f"HOPE_{self.name.upper()}_"


def parse(text: str) -> tuple[Service, ...]:
    services = []
    for entry in tomllib.loads(text)["service"]:
        name = entry["name"]
        if not NAME.match(name):
            raise ValueError(f"service name {name!r} must be lower-case letters only")
        services.append(
            Service(
                name=name,
                port=int(entry["port"]),
                path=entry.get("path", f"services/{name}"),
                publishes=bool(entry.get("publishes", True)),
                planned=bool(entry.get("planned", False)),
                http=entry.get("http"),
            )
        )
    for attribute in ("name", "port"):
        values = [getattr(service, attribute) for service in services]
        duplicates = sorted({str(value) for value in values if values.count(value) > 1})
        if duplicates:
            raise ValueError(f"two services share a {attribute}: {', '.join(duplicates)}")
    return tuple(services)


@cache
def services() -> tuple[Service, ...]:
    """Every service, planned ones included, in start order."""
    return parse(files("hope_contracts").joinpath("services.toml").read_text())


def built() -> tuple[Service, ...]:
    """The services that exist as code: the ones the runner starts and the tools check."""
    return tuple(service for service in services() if not service.planned)


def topics() -> tuple[str, ...]:
    """Every topic of the platform: one per publishing service (planned ones included), and the dead letters."""
    return (*(service.topic for service in services() if service.publishes), DEAD_LETTERS)


def upstreams() -> dict[str, str]:
    """Where each built service listens on a development machine, as the gateway's default routing table.

    Planned services are left out: a route to a service that does not run yet is 404, not 503 "try again"."""
    return {service.name: f"http://127.0.0.1:{service.port}" for service in built() if service.name != "gateway"}
