"""The registry of services (hope_contracts/services.toml) is the one list: what reads it is derived from it, and
every file that tools need as static text names exactly the services it lists."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

import pytest
import yaml

import hope_contracts
from hope_contracts import CATALOGUE, registry
from hope_infra.kafka import PLATFORM_TOPICS
from hope_infra.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
BUILT = registry.built()


def _importlinter() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.strip().splitlines()]


def test_the_runner_starts_every_built_service_of_the_registry_in_its_order() -> None:
    assert [(p.name, p.port, p.package) for p in SERVICES] == [(s.name, s.port, s.package) for s in BUILT]
    assert SERVICES[0].name == "gateway", "the services fetch the gateway's keys at start-up"


def test_every_publishing_service_has_a_topic_and_the_dead_letters_have_theirs() -> None:
    expected = {f"hope.{s.name}.events" for s in registry.services() if s.publishes} | {"hope.dlq"}
    assert set(PLATFORM_TOPICS) == expected


def test_every_service_folder_is_registered_and_every_built_service_has_its_folder() -> None:
    folders = {path.parent.relative_to(ROOT).as_posix() for path in ROOT.glob("services/*/pyproject.toml")}
    folders |= {"gateway"}
    assert folders == {service.path for service in BUILT}
    for service in BUILT:
        assert (ROOT / service.path / "src" / service.package / "main.py").exists(), service.name


def test_the_workspace_depends_on_every_built_service_from_its_own_folder() -> None:
    workspace = tomllib.loads((ROOT / "pyproject.toml").read_text())
    services = {d for d in workspace["project"]["dependencies"] if d.endswith("-service")}
    assert services == {service.distribution for service in BUILT}
    sources = workspace["tool"]["uv"]["sources"]
    assert {name for name in sources if name.endswith("-service")} == services
    for service in BUILT:
        manifest = tomllib.loads((ROOT / service.path / "pyproject.toml").read_text())
        assert manifest["project"]["name"] == service.distribution


def test_the_lock_holds_every_built_service() -> None:
    locked = set(re.findall(r'^name = "([a-z-]+-service)"$', (ROOT / "uv.lock").read_text(), re.MULTILINE))
    assert locked == {service.distribution for service in BUILT}


def test_the_import_contracts_cover_every_built_service_with_its_layers() -> None:
    config = _importlinter()
    packages = {service.package for service in BUILT}
    assert packages <= set(_lines(config["importlinter"]["root_packages"]))
    assert set(_lines(config["importlinter:contract:services-independent"]["modules"])) == packages
    assert packages <= set(_lines(config["importlinter:contract:kit-has-no-service-code"]["forbidden_modules"]))
    for service in BUILT:
        layers = config[f"importlinter:contract:{service.name}-layers"]
        assert layers["type"] == "layers"
        top, *_, bottom = _lines(layers["layers"])
        assert top.startswith(f"{service.package}.main")
        assert bottom == f"{service.package}.domain"


def test_compose_runs_every_built_service_and_has_a_database_for_each() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {service.name for service in BUILT} <= set(compose)
    init = (ROOT / "infra/postgres/init.sql").read_text()
    for service in registry.services():
        assert f"CREATE DATABASE hope_{service.name};" in init


def test_the_contracts_package_imports_every_publishing_service_module() -> None:
    for service in BUILT:
        if service.publishes:
            module = getattr(hope_contracts, service.name)
            published = {
                contract.service() for contract in CATALOGUE.values() if contract.__module__ == module.__name__
            }
            assert published == {service.name}, f"{service.name} publishes its own contracts only"


def test_the_gateway_knows_every_service_on_its_port() -> None:
    from gateway_service.settings import DEFAULT_UPSTREAMS

    others = [service for service in registry.built() if service.name != "gateway"]
    assert {service.name: f"http://127.0.0.1:{service.port}" for service in others} == DEFAULT_UPSTREAMS


def test_a_registry_with_two_services_on_one_port_or_a_bad_name_is_refused() -> None:
    with pytest.raises(ValueError, match="share a port"):
        registry.parse('[[service]]\nname = "one"\nport = 1\n[[service]]\nname = "two"\nport = 1\n')
    with pytest.raises(ValueError, match="share a name"):
        registry.parse('[[service]]\nname = "one"\nport = 1\n[[service]]\nname = "one"\nport = 2\n')
    with pytest.raises(ValueError, match="lower-case letters"):
        registry.parse('[[service]]\nname = "Two-Words"\nport = 1\n')
