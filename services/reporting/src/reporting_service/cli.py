"""``hope-reporting``: the reporting service's commands."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from hopekit.db.engine import make_engine
from hopekit.uow import Database
from reporting_service.adapters.tables import kit
from reporting_service.events.replay import Rebuilt, Replay
from reporting_service.settings import ReportingSettings

app = typer.Typer(help="HOPE reporting commands.", no_args_is_help=True)
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """HOPE reporting commands."""


async def _rebuild(
    settings: ReportingSettings, batch_size: int, workers: int | None, keep_previous: bool, progress: Progress
) -> Rebuilt:
    assert settings.kafka_bootstrap is not None
    engine = make_engine(settings.database_url)
    task = progress.add_task("events", total=None)
    try:
        replay = Replay(Database(engine=engine, tables=kit), settings.kafka_bootstrap, batch_size, workers)
        return await replay.run(
            on_total=lambda total: progress.update(task, total=total),
            on_progress=lambda count: progress.advance(task, count),
            keep_previous=keep_previous,
        )
    finally:
        await engine.dispose()


@app.command()
def rebuild(
    batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Events applied per transaction.")] = 500,
    keep_previous: Annotated[bool, typer.Option(help="Keep the replaced version's rows (retired).")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes sharing the topics' partitions (PostgreSQL; one on SQLite). By default, one per CPU, at"
            " most one per partition.",
        ),
    ] = None,
) -> None:
    """Build the read models anew from the beginning of every domain topic, into a new version beside the
    active one, then switch to it. The service may keep running: its consumers feed both versions meanwhile.

    Settings come from the environment (HOPE_REPORTING_DATABASE_URL, HOPE_REPORTING_KAFKA_BOOTSTRAP)."""
    settings = ReportingSettings()
    if not settings.kafka_bootstrap:
        console.print("HOPE_REPORTING_KAFKA_BOOTSTRAP is needed: the rebuild reads the topics")
        raise typer.Exit(code=2)
    columns = (TextColumn("rebuilding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        done = asyncio.run(_rebuild(settings, batch_size, workers, keep_previous, progress))
    console.print(
        f"version {done.version} active: {done.events_applied} events applied from {done.records_read} records"
        f" ({done.records_refused} refused); retired: {', '.join(map(str, done.retired)) or 'none'}"
    )
