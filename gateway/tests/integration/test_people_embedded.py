"""People's sign-in on the embedded SQLite default, from a new installation: the command line invites the first
operator person, who signs in with a second factor and out again. And the migration goes down and up on both
databases."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from gateway_service.cli import app as cli
from gateway_service.main import create_app
from gateway_service.settings import GatewaySettings
from hopekit.db.migrations import downgrade, upgrade
from hopekit.testing import running

from .conftest import GATEWAY_ROOT, fresh_database
from .people import Browser

pytestmark = pytest.mark.integration

_LINK = re.compile(r"(http://\S+/invitations/\S+)")


async def test_the_first_operator_person_is_invited_from_the_command_line_and_signs_in(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    env = {"HOPE_GATEWAY_DATABASE_URL": url, "HOPE_GATEWAY_VAR_DIR": str(tmp_path)}
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    await asyncio.to_thread(run, "migrate")
    too_early = await asyncio.to_thread(runner.invoke, cli, ["invite-operator", "--email", "d@akto.example"], env=env)
    assert too_early.exit_code == 2
    assert "create-admin" in too_early.output
    await asyncio.to_thread(run, "create-admin")
    first = await asyncio.to_thread(run, "invite-operator", "--email", "Direction@AKTO.example")
    again = await asyncio.to_thread(run, "invite-operator", "--email", "direction@akto.example")
    first_link, second_link = _LINK.search(first), _LINK.search(again)
    assert first_link is not None
    assert second_link is not None

    settings = GatewaySettings(database_url=url, var_dir=tmp_path, environment="test", log_json=False)
    async with running(create_app(settings)) as http:
        browser = Browser(http)
        # Asked twice: the second link replaced the first.
        assert (await browser.accept(first_link.group(1))).status_code == 404
        assert (await browser.accept(second_link.group(1))).status_code == 303
        signed = await browser.sign_in("direction@akto.example")
        assert signed.headers["location"] == "/second-factor/setup"
        assert (await browser.set_up_second_factor()).headers["location"] == "/dashboard"
        home = await browser.get("/dashboard", **{"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
        # The person's own language (French, the default of an invitation) wins over the browser's.
        assert "Connecté en tant que" in home.text
        chosen = await browser.post_form("/language", {"lang": "en", "next": "/dashboard"}, csrf_from="/dashboard")
        assert chosen.headers["location"] == "/dashboard"
        assert "Signed in as" in (await browser.get("/dashboard")).text
        assert "AKTO (programme_operator)" in (await browser.get("/dashboard")).text

        # Signed out, then in again: the authenticator's code is asked for, not set up anew.
        assert (await browser.post_form("/sign-out", {}, csrf_from="/dashboard")).status_code == 303
        assert (await browser.sign_in("direction@akto.example")).headers["location"] == "/sign-in/second-factor"
        wrong = await browser.post_form("/sign-in/second-factor", {"code": "000000"})
        assert wrong.status_code == 401
        assert "Code refused" in wrong.text


def test_the_migration_goes_down_and_up_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    upgrade(GATEWAY_ROOT, url)
    downgrade(GATEWAY_ROOT, url, "0003")
    upgrade(GATEWAY_ROOT, url)


async def test_the_migration_goes_down_and_up_on_postgresql(postgres_admin_url: str) -> None:
    async with fresh_database(postgres_admin_url, GATEWAY_ROOT) as url:
        await asyncio.to_thread(downgrade, GATEWAY_ROOT, url, "0003")
        plain = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        connection = await asyncpg.connect(plain)
        try:
            assert await connection.fetchval("SELECT to_regclass('people')") is None
        finally:
            await connection.close()
        await asyncio.to_thread(upgrade, GATEWAY_ROOT, url)
