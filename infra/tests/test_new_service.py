"""``hope new-service``: a service made from the template is registered everywhere the platform lists services,
takes up a planned entry in its place, refuses a name or a port that is taken, and (on real servers, in a
throwaway copy of the repository) passes its own tests, lint, types and import contracts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from hope_contracts.registry import parse
from hope_infra.template import NewService, create_service
from hope_infra.template.create import uv_command
from hope_infra.template.register import REGISTRY, RegistrationError

ROOT = Path(__file__).resolve().parents[2]
STATIC_FILES = (
    REGISTRY,
    Path("pyproject.toml"),
    Path(".importlinter"),
    Path("docker-compose.yml"),
    Path("infra/postgres/init.sql"),
    Path("libs/contracts/src/hope_contracts/__init__.py"),
)
BIN = Path(sys.executable).parent


def _registry_files(target: Path) -> Path:
    """The files the generator edits, copied from the repository (nothing else: no servers, no lock)."""
    for relative in STATIC_FILES:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, target / relative)
    return target


def test_a_planned_service_is_created_in_its_place_and_registered_in_every_static_file(tmp_path: Path) -> None:
    root = _registry_files(tmp_path)
    # A planned entry of its own, between two built services: the real planned ones get built over time.
    registry_text = (root / REGISTRY).read_text()
    planned = '[[service]]\nname = "alumni"\nport = 8107\nplanned = true\n\n'
    (root / REGISTRY).write_text(
        registry_text.replace('[[service]]\nname = "employment"', planned + '[[service]]\nname = "employment"')
    )
    written = create_service(root, NewService("alumni", 8107, "former participants' news"), lock=False)
    assert root / "services/alumni/src/alumni_service/main.py" in written
    assert (root / "services/alumni/tests/integration/test_examples_api.py").exists()
    assert (root / "services/alumni/migrations/versions/0001_schema.py").exists()

    services = parse((root / REGISTRY).read_text())
    names = [service.name for service in services]
    assert names.index("alumni") == names.index("employment") - 1, "the planned entry keeps its place"
    alumni = next(service for service in services if service.name == "alumni")
    assert (alumni.port, alumni.planned, alumni.publishes) == (8107, False, True)

    workspace = tomllib.loads((root / "pyproject.toml").read_text())
    assert "alumni-service" in workspace["project"]["dependencies"]
    assert workspace["tool"]["uv"]["sources"]["alumni-service"] == {"workspace": True}
    linter = (root / ".importlinter").read_text()
    assert "[importlinter:contract:alumni-layers]" in linter
    assert linter.count("\n    alumni_service\n") == 3, "root package, independent, never imported by the kit"
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())["services"]
    assert "--port 8107" in " ".join(compose["alumni"]["command"])
    assert compose["alumni-migrations"]["restart"] == "no"
    assert compose["gateway"]["environment"]["HOPE_GATEWAY_UPSTREAMS__ALUMNI"] == "http://alumni:8107"
    assert (root / "infra/postgres/init.sql").read_text().count("CREATE DATABASE hope_alumni;") == 1
    contracts = (root / "libs/contracts/src/hope_contracts/__init__.py").read_text()
    [imports] = [line for line in contracts.splitlines() if line.startswith("from hope_contracts import ")]
    assert "alumni" in imports.removeprefix("from hope_contracts import ").split(", ")
    assert '"alumni"' in contracts
    assert (
        'event_type: ClassVar[str] = "fr.hope.alumni.example.created.v1"'
        in (root / "libs/contracts/src/hope_contracts/alumni.py").read_text()
    )


def test_a_new_name_is_added_at_the_end_of_the_registry(tmp_path: Path) -> None:
    root = _registry_files(tmp_path)
    create_service(root, NewService("housing", 8190), lock=False)
    assert parse((root / REGISTRY).read_text())[-1].name == "housing"


def test_a_taken_name_or_port_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    root = _registry_files(tmp_path)
    before = {relative: (root / relative).read_text() for relative in STATIC_FILES}
    with pytest.raises(RegistrationError, match="registered already"):
        create_service(root, NewService("training", 8190), lock=False)
    with pytest.raises(RegistrationError, match="port 8101 belongs to enrolment"):
        create_service(root, NewService("housing", 8101), lock=False)
    assert {relative: (root / relative).read_text() for relative in STATIC_FILES} == before
    assert not (root / "services").exists()


@pytest.mark.parametrize("name", ["Housing", "two_words", "x", "café"])
def test_a_name_that_cannot_be_a_topic_or_an_event_type_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="lower-case letters"):
        NewService(name, 8190)


def _copy_repository(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    return target


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.integration
def test_a_new_service_passes_its_own_tests_lint_types_and_contracts(tmp_path: Path, postgres_admin_url: str) -> None:
    copy = _copy_repository(tmp_path / "repository")
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "UV_LINK_MODE", "PYTHONPATH")}
    # Not offline: `uv lock` reads the index's metadata, which `uv sync --frozen` on a fresh machine never put in
    # uv's cache (the wheels it installs are there, so the copy's sync downloads nothing). Hard links (uv's
    # default) keep the copy's environment from costing its size in copies.
    env |= {"HOPE_TEST_DATABASE_URL": postgres_admin_url}
    _run([str(BIN / "hope"), "new-service", "demo", "--port", "8190", "--owns", "an example"], copy, env)
    assert 'name = "demo-service"' in (copy / "uv.lock").read_text()
    # As `make install` does: the lock must hold the new member, or --frozen refuses.
    _run([*uv_command(), "sync", "--frozen", "--all-packages", "--quiet"], copy, env)
    python = str(copy / ".venv/bin/python")

    tests = _run([python, "-m", "pytest", "services/demo/tests", "-p", "no:cacheprovider", "-q", "-rs"], copy, env)
    assert "skipped" not in tests, tests  # both databases, every test
    assert " passed" in tests
    _run([python, "-m", "ruff", "check", "services/demo", "libs/contracts"], copy, env)
    _run([python, "-m", "ruff", "format", "--check", "services/demo", "libs/contracts"], copy, env)
    _run([python, "-m", "mypy", "--strict", "-p", "demo_service", "--cache-dir", str(tmp_path / "mypy")], copy, env)
    contracts = _run([str(copy / ".venv/bin/lint-imports")], copy, env)
    assert "Demo layers" in contracts
    # The copy's static files agree with its registry, as the repository's own do.
    registry_tests = ["infra/tests/test_registry.py", "infra/tests/test_compose.py", "tests/contracts"]
    _run([python, "-m", "pytest", *registry_tests, "-p", "no:cacheprovider", "-q"], copy, env)
