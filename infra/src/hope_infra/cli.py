"""The ``hope`` command: the kit's development helpers, and the commands that need the whole repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hope_infra.template import NewService, create_service
from hope_infra.template.register import RegistrationError
from hopekit.cli import app

__all__ = ["app"]


@app.command("new-service")
def new_service(
    name: Annotated[str, typer.Argument(help="Lower-case letters: the folder, <name>_service, hope.<name>.events.")],
    port: Annotated[int, typer.Option(help="Where it listens on a development machine and in compose.")],
    owns: Annotated[str, typer.Option(help="What it owns, in a few words (its description).")] = (
        "what this service owns"
    ),
    root: Annotated[Path, typer.Option(help="The repository.")] = Path(),
    lock: Annotated[bool, typer.Option(help="Update uv.lock (python3 -m uv lock) afterwards.")] = True,
) -> None:
    """Create services/NAME in the shape of every service and register it wherever the platform lists services."""
    try:
        written = create_service(root.resolve(), NewService(name, port, owns), lock=lock)
    except (ValueError, RegistrationError) as error:
        typer.echo(f"hope new-service: {error}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"created services/{name} ({len(written)} files) and registered it; next: make install && make test")


@app.command("demo")
def demo(
    seed: Annotated[int, typer.Option(help="The same seed plays the same programme; a re-run doubles nothing.")] = 2017,
    years: Annotated[float, typer.Option(help="Sizes the programme: about 1,500 entries a year.")] = 1.0,
    people: Annotated[int | None, typer.Option(help="Exactly this many people instead of --years' worth.")] = None,
    concurrency: Annotated[int, typer.Option(help="Cohorts played at the same time.")] = 4,
    gateway: Annotated[str, typer.Option(help="The gateway's address.")] = "http://127.0.0.1:8000",
    admin_client: Annotated[Path, typer.Option(help="The operator's admin client (make run writes it).")] = Path(
        "var/keys/admin-client.json"
    ),
    wait: Annotated[float, typer.Option(help="Seconds to wait for the platform to be ready.")] = 0,
) -> None:
    """Play a realistic HOPE programme through the gateway's public APIs, each partner with its own client."""
    from rich.console import Console

    from hope_infra.demo.command import run_demo, wait_for_gateway
    from hope_infra.demo.programme import DemoOptions

    if wait:
        wait_for_gateway(gateway, admin_client, wait)
    run_demo(gateway, admin_client, DemoOptions(seed, years, people, concurrency), Console())
