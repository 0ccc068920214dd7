"""Schemathesis against each service in-process (ASGI, SQLite), with tokens that reach past authentication.

Schemathesis starts an app's lifespan itself, on its own event loop thread, and would keep it until the end of
the session: ``stop_lifespans`` stops them at the end of each module.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from schemathesis.python import asgi

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.db.migrations import upgrade
from hopekit.testing import TokenIssuer, service_settings

ROOT = Path(__file__).resolve().parents[2]

ServiceApp = Callable[[str, Callable[[Any], FastAPI], type[Any]], FastAPI]


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    return TokenIssuer.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def service_app(tmp_path_factory: pytest.TempPathFactory, issuer: TokenIssuer) -> ServiceApp:
    """``service_app(name, create_app, settings_class)``: the service on a new, migrated SQLite database, made
    once per module."""
    apps: dict[str, FastAPI] = {}

    def build(name: str, create_app: Callable[[Any], FastAPI], settings_class: type[Any]) -> FastAPI:
        if name not in apps:
            url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp(name) / (name + '.db')}"
            upgrade(ROOT / "services" / name, url)
            apps[name] = create_app(service_settings(settings_class, url, issuer))
        return apps[name]

    return build


@pytest.fixture(scope="module")
def operator(issuer: TokenIssuer) -> dict[str, str]:
    """The programme operator's administrator: every route lets it past its checks."""
    return issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, org_id=uuid.uuid4())


@pytest.fixture(scope="module")
def writer_of(issuer: TokenIssuer) -> Callable[[OrgKind], dict[str, str]]:
    """A writer of an organisation of the given kind (one organisation per kind for the whole module)."""
    orgs: dict[OrgKind, uuid.UUID] = {}

    def headers(kind: OrgKind) -> dict[str, str]:
        return issuer.headers(kind, Role.WRITER, org_id=orgs.setdefault(kind, uuid.uuid4()))

    return headers


@pytest.fixture(scope="module", autouse=True)
def stop_lifespans() -> Iterator[None]:
    yield
    asgi.shutdown_lifespans()
