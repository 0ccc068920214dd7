"""Registers a new service in the files that tools read as static text. Each edit is idempotent, and
``infra/tests/test_registry.py`` checks that every such file agrees with the registry."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hope_contracts.registry import parse
from hope_infra.template.render import render

REGISTRY = Path("libs/contracts/src/hope_contracts/services.toml")
CONTRACTS_INIT = Path("libs/contracts/src/hope_contracts/__init__.py")
LINE_LENGTH = 120  # the root pyproject's [tool.ruff] line-length: generated code passes ruff as written


class RegistrationError(RuntimeError):
    """The repository is not in the shape the generator edits, or the service clashes with one registered."""


def registry(root: Path, context: Mapping[str, Any]) -> None:
    """Adds the service, or takes up its planned entry (keeping its place in the start order)."""
    path = root / REGISTRY
    text = path.read_text()
    name, port = context["name"], context["port"]
    for service in parse(text):
        if service.name == name and not service.planned:
            raise RegistrationError(f"{name} is registered already")
        if service.port == port and service.name != name:
            raise RegistrationError(f"port {port} belongs to {service.name}")
    entry = render("registration/registry.toml.j2", context)
    block = re.compile(rf'\[\[service\]\]\nname = "{name}"\n(?:(?!\[\[service\]\]).*\n?)*')
    if block.search(text):
        text = block.sub(lambda _: entry + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + entry
    parse(text)  # refuse to write a registry that does not read back
    path.write_text(text)


def workspace(root: Path, context: Mapping[str, Any]) -> None:
    """The workspace's dependency on the service and its source (``uv lock`` is run afterwards)."""
    path = root / "pyproject.toml"
    text = path.read_text()
    distribution = context["distribution"]
    if f'"{distribution}"' not in text:
        text = _insert_after_last(text, r'^    "[a-z-]+-service",\n', f'    "{distribution}",\n', "dependencies")
    if f"\n{distribution} = " not in text:
        source = f"{distribution} = {{ workspace = true }}\n"
        text = _insert_after_last(text, r"^[a-z-]+-service = \{ workspace = true \}\n", source, "sources")
    tomllib.loads(text)
    path.write_text(text)


def import_contracts(root: Path, context: Mapping[str, Any]) -> None:
    """The service among the root packages, independent of the others, never imported by the kit; its own
    domain-purity and layers contracts."""
    path = root / ".importlinter"
    text = path.read_text()
    package = context["package"]
    if f"\n    {package}\n" in text:
        return
    for section, header in (
        ("[importlinter]", "root_packages ="),
        ("[importlinter:contract:services-independent]", "modules ="),
        ("[importlinter:contract:kit-has-no-service-code]", "forbidden_modules ="),
    ):
        text = _add_to_list(text, section, header, package)
    path.write_text(text.rstrip("\n") + "\n" + render("registration/importlinter.ini.j2", context))


def compose(root: Path, context: Mapping[str, Any]) -> None:
    """Its container beside the others, and the gateway told where it is."""
    path = root / "docker-compose.yml"
    text = path.read_text()
    if f"\n  {context['name']}:\n" in text:
        return
    if "\nvolumes:\n" not in text:
        raise RegistrationError("docker-compose.yml has no volumes section to insert the service before")
    text = text.replace("\nvolumes:\n", "\n" + render("registration/compose.yml.j2", context) + "volumes:\n", 1)
    upstream = f"      HOPE_GATEWAY_UPSTREAMS__{context['name'].upper()}: http://{context['name']}:{context['port']}\n"
    text = _insert_after_last(text, r"^      HOPE_GATEWAY_UPSTREAMS__[A-Z]+: .*\n", upstream, "gateway upstreams")
    path.write_text(text)


def databases(root: Path, context: Mapping[str, Any]) -> None:
    """PostgreSQL's first start (compose) creates one database per service."""
    path = root / "infra/postgres/init.sql"
    text = path.read_text()
    line = f"CREATE DATABASE hope_{context['name']};\n"
    if line not in text:
        path.write_text(text.rstrip("\n") + "\n" + line)


def contracts(root: Path, context: Mapping[str, Any]) -> None:
    """The service's event contracts module, imported by the package so that its contracts are in the catalogue."""
    name = context["name"]
    module = root / CONTRACTS_INIT.parent / f"{name}.py"
    if not module.exists():
        module.write_text(render("contracts/contract.py.j2", context))
    path = root / CONTRACTS_INIT
    text = path.read_text()
    imported = re.search(r"^from hope_contracts import ([a-z, ]+)\n", text, re.MULTILINE)
    listed = re.search(r"^__all__ = \[(.*?)\]\n", text, re.MULTILINE | re.DOTALL)
    if imported is None or listed is None:
        raise RegistrationError(f"{CONTRACTS_INIT} has no 'from hope_contracts import ...' line or no __all__")
    modules = sorted({*imported[1].split(", "), name})
    names = sorted({*(item.strip().strip('"') for item in listed[1].split(",") if item.strip()), name})
    quoted = [f'"{n}"' for n in names]
    listing = f"__all__ = [{', '.join(quoted)}]\n"
    # Past ruff's line length the list goes one name a line (with the trailing comma ruff keeps that way).
    if len(listing) > LINE_LENGTH + 1:
        listing = "__all__ = [\n" + "".join(f"    {q},\n" for q in quoted) + "]\n"
    text = text.replace(imported[0], f"from hope_contracts import {', '.join(modules)}\n")
    text = text.replace(listed[0], listing)
    path.write_text(text)


def _insert_after_last(text: str, pattern: str, addition: str, what: str) -> str:
    found = list(re.finditer(pattern, text, re.MULTILINE))
    if not found:
        raise RegistrationError(f"cannot find where to add {addition.strip()!r} ({what})")
    end = found[-1].end()
    return text[:end] + addition + text[end:]


def _add_to_list(text: str, section: str, header: str, item: str) -> str:
    """Adds ``    item`` at the end of the indented list that follows ``header`` in ``section``."""
    start = text.find(header + "\n", text.find(section + "\n"))
    if section not in text or start < 0:
        raise RegistrationError(f".importlinter has no {header!r} list in {section}")
    position = start + len(header) + 1
    while text.startswith("    ", position):
        position = text.index("\n", position) + 1
    return text[:position] + f"    {item}\n" + text[position:]
