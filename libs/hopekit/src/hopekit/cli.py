"""The ``hope`` command: development helpers that must never run against production."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import ensure_dev_keys
from hopekit.identity.tokens import mint_token

app = typer.Typer(help="HOPE platform development commands.", no_args_is_help=True)

DEV_ISSUER = "https://gateway.hope.local"
DEV_AUDIENCE = "hope-platform"


@app.callback()
def main() -> None:
    """HOPE platform development commands."""


@app.command("dev-token")
def dev_token(
    org_kind: Annotated[OrgKind, typer.Option(help="Kind of the calling organisation.")],
    roles: Annotated[list[Role], typer.Option("--roles", "--role", help="Roles of the client (repeatable).")],
    org_id: Annotated[str | None, typer.Option(help="Organisation id (UUID); a new one if omitted.")] = None,
    subject: Annotated[str, typer.Option(help="Client id carried as `sub`.")] = "dev-client",
    scope: Annotated[list[str] | None, typer.Option(help="Scopes (repeatable).")] = None,
    ttl_minutes: Annotated[int, typer.Option(min=1, max=24 * 60)] = 60,
    keys_dir: Annotated[Path, typer.Option(help="Where the development key pair lives.")] = Path("var/keys"),
) -> None:
    """Mint an access token signed by the local development key (never in production)."""
    if os.environ.get("HOPE_ENVIRONMENT", "development") == "production":
        typer.echo("refusing: HOPE_ENVIRONMENT is production; tokens come from the gateway there", err=True)
        raise typer.Exit(code=2)
    try:
        organisation = uuid.UUID(org_id) if org_id else uuid.uuid4()
    except ValueError:
        typer.echo("--org-id must be a UUID", err=True)
        raise typer.Exit(code=2) from None
    key = ensure_dev_keys(keys_dir)
    token = mint_token(
        key,
        issuer=os.environ.get("HOPE_JWT_ISSUER", DEV_ISSUER),
        audience=os.environ.get("HOPE_JWT_AUDIENCE", DEV_AUDIENCE),
        subject=subject,
        org_id=organisation,
        org_kind=org_kind,
        roles=roles,
        scopes=scope or (),
        ttl=timedelta(minutes=ttl_minutes),
    )
    typer.echo(token)
