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


def test_publish_organisations_tells_the_services_about_every_organisation_already_there(tmp_path: Path) -> None:
    """An installation that had organisations before the gateway published them sends each one once more."""
    import asyncio

    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import create_async_engine

    from gateway_service.adapters.tables import kit

    runner = CliRunner()
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    env = {"HOPE_GATEWAY_DATABASE_URL": url, "HOPE_GATEWAY_VAR_DIR": str(tmp_path)}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    created = runner.invoke(app, ["create-admin", "--organisation", "AKTO"], env=env)
    org_id = json.loads(created.output)["org_id"]

    published = runner.invoke(app, ["publish-organisations"], env=env)

    assert published.exit_code == 0, published.output
    assert published.output.strip() == "1 organisation(s) published"

    async def registered() -> list[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(select(kit.outbox.c.type, kit.outbox.c.subject))
                return [row.subject for row in rows if row.type == "fr.hope.gateway.organisation.registered.v1"]
        finally:
            await engine.dispose()

    assert asyncio.run(registered()) == [org_id, org_id]
