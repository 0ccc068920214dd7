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
