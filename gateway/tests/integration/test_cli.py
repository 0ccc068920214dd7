"""The hope-gateway command on a new installation (the embedded SQLite default)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway_service.cli import app
from gateway_service.domain.scopes import vocabulary
from gateway_service.settings import DEFAULT_UPSTREAMS

pytestmark = pytest.mark.integration


def test_migrate_then_create_the_first_admin_then_rotate_the_key(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {
        "HOPE_GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        "HOPE_GATEWAY_VAR_DIR": str(tmp_path),
    }
    migrated = runner.invoke(app, ["migrate"], env=env)
    assert migrated.exit_code == 0, migrated.output
    created = runner.invoke(app, ["create-admin", "--organisation", "AKTO"], env=env)
    assert created.exit_code == 0, created.output
    credentials = json.loads(created.output)
    assert credentials["client_id"].startswith("hope_")
    assert len(credentials["client_secret"]) >= 40
    # Every scope of the installation: read and write on each service behind the gateway.
    assert set(credentials["scopes"]) == vocabulary(DEFAULT_UPSTREAMS)
    again = runner.invoke(app, ["create-admin", "--organisation", "AKTO", "--client-name", "second"], env=env)
    assert again.exit_code == 0
    assert json.loads(again.output)["org_id"] == credentials["org_id"]
    first = runner.invoke(app, ["rotate-signing-key"], env=env)
    second = runner.invoke(app, ["rotate-signing-key"], env=env)
    assert first.exit_code == 0, first.output
    assert first.output.strip() != second.output.strip()
