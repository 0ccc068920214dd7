"""docker-compose.yml runs every service the platform runner starts, on the same ports, and publishes only the
gateway: partners reach the services through it alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hope_infra.services import GATEWAY_PORT, SERVICES

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())["services"]
    return services


def test_every_platform_service_runs_on_its_port() -> None:
    services = _services()
    for process in SERVICES:
        assert process.name in services, process.name
        command = " ".join(services[process.name]["command"])
        assert f"{process.package}.main:create_app" in command
        assert f"--port {process.port}" in command
        # Started by compose as the platform runner starts it (the gateway's HTTP protocol included).
        assert " ".join(["", *process.uvicorn_options, ""]) in command + " "
        assert f"{process.env_prefix}DATABASE_URL" in services[process.name]["environment"]


def test_only_the_gateway_is_published() -> None:
    published = {name for name, service in _services().items() if service.get("ports")}
    assert published == {"gateway"}
    assert _services()["gateway"]["ports"] == [f"{GATEWAY_PORT}:{GATEWAY_PORT}"]


def test_the_services_trust_the_gateways_keys_and_the_gateway_knows_where_they_are() -> None:
    services = _services()
    gateway = services["gateway"]["environment"]
    for process in SERVICES:
        if process.name == "gateway":
            continue
        environment = services[process.name]["environment"]
        assert environment[f"{process.env_prefix}JWKS_URL"] == f"http://gateway:{GATEWAY_PORT}/.well-known/jwks.json"
        assert gateway[f"HOPE_GATEWAY_UPSTREAMS__{process.name.upper()}"] == f"http://{process.name}:{process.port}"
