"""``hope-support``: operations on the support database that no API exposes."""

from __future__ import annotations

import asyncio

import typer

from hopekit.db.engine import make_engine
from hopekit.uow import Database
from support_service.adapters.tables import kit
from support_service.service_layer.rotation import rotate_keys
from support_service.settings import SupportSettings

app = typer.Typer(help="HOPE support commands.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """HOPE support commands."""


@app.command("rotate-keys")
def rotate(batch: int = typer.Option(500, min=1, max=10_000, help="Keys re-wrapped per transaction.")) -> None:
    """Re-wrap every person's data key under the current KEK (`HOPE_SUPPORT_KEK_ID`), reading the old ones with
    `HOPE_SUPPORT_RETIRED_KEK_FILES`. Safe to run again: keys already under the current KEK are left alone."""
    settings = SupportSettings()
    envelope = settings.envelope()
    if envelope is None:
        typer.echo("no key-encryption key configured (HOPE_SUPPORT_KEK or HOPE_SUPPORT_KEK_FILE)", err=True)
        raise typer.Exit(code=2)

    async def run() -> int:
        engine = make_engine(settings.database_url)
        try:
            return await rotate_keys(Database(engine=engine, tables=kit), envelope, batch)
        finally:
            await engine.dispose()

    typer.echo(f"re-wrapped {asyncio.run(run())} data keys under {envelope.current.key_id}")
