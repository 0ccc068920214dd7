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


def test_reporting_runs_in_two_replicas_that_share_the_topics() -> None:
    """Its consumers are bound to one core each: two replicas, whose consumer groups Kafka shares, and which no
    host port keeps from being scaled."""
    reporting = _services()["reporting"]
    assert reporting["deploy"]["replicas"] == 2
    assert "ports" not in reporting
    assert reporting["expose"] == ["8106"]


def test_the_services_trust_the_gateways_keys_and_the_gateway_knows_where_they_are() -> None:
    services = _services()
    gateway = services["gateway"]["environment"]
    for process in SERVICES:
        if process.name == "gateway":
            continue
        environment = services[process.name]["environment"]
        assert environment[f"{process.env_prefix}JWKS_URL"] == f"http://gateway:{GATEWAY_PORT}/.well-known/jwks.json"
        assert gateway[f"HOPE_GATEWAY_UPSTREAMS__{process.name.upper()}"] == f"http://{process.name}:{process.port}"


def _depends(service: dict[str, Any]) -> dict[str, str]:
    return {name: condition["condition"] for name, condition in service.get("depends_on", {}).items()}


def test_migrations_run_as_one_shot_steps_that_the_services_wait_for() -> None:
    services = _services()
    for process in SERVICES:
        if not process.has_migrations:
            continue
        job = services[f"{process.name}-migrations"]
        assert job["restart"] == "no"
        assert "alembic upgrade head" in " ".join(job["command"])
        assert "uvicorn" not in " ".join(job["command"])
        assert _depends(job) == {"postgres": "service_healthy"}
        command = " ".join(services[process.name]["command"])
        # The service's own command starts the service only: a failed migration stops it from starting at all.
        assert "alembic" not in command
        assert ";" not in command
        assert "&&" not in command
        assert _depends(services[process.name])[f"{process.name}-migrations"] == "service_completed_successfully"


def test_the_services_wait_for_the_topics_and_for_the_gateways_keys() -> None:
    services = _services()
    assert services["topics"]["restart"] == "no"
    for process in SERVICES:
        if process.name == "gateway":
            continue
        needs = _depends(services[process.name])
        # Topic auto-creation is off: a service that started before the topics job would fail on its first send.
        assert needs["topics"] == "service_completed_successfully"
        assert needs["kafka"] == "service_healthy"
        assert needs["gateway"] == "service_healthy"


def test_every_service_says_when_it_is_ready() -> None:
    services = _services()
    for process in SERVICES:
        check = " ".join(services[process.name]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{process.port}/health/ready" in check


def test_the_image_leaves_out_local_state_and_secrets() -> None:
    ignored = {
        line.strip().rstrip("/")
        for line in (COMPOSE.parent / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    # var/ holds the development signing key, the admin client's secret and SQLite files with personal data.
    assert {"var", "**/var", ".venv", "**/.venv", ".git", ".env"} <= ignored


def test_the_readme_says_how_to_get_the_first_admin_client() -> None:
    readme = (COMPOSE.parent / "README.md").read_text()
    assert "docker compose exec gateway hope-gateway create-admin" in readme
