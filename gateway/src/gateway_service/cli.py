"""The ``hope-gateway`` command: migrate, create the first admin client, invite the first operator person, rotate
the signing key, publish the organisations again."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.engine import make_url

from gateway_service.adapters.tables import kit
from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.people import PersonError
from gateway_service.domain.scopes import vocabulary
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.organisations import IssuedCredentials, bootstrap_admin, publish_all
from gateway_service.service_layer.people import IssuedInvitation, invite_operator
from gateway_service.settings import GatewaySettings
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.errors import Conflict
from hopekit.uow import Database

app = typer.Typer(help="HOPE gateway administration.", no_args_is_help=True)

GATEWAY_ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


@app.callback()
def main() -> None:
    """HOPE gateway administration."""


def _with_database(settings: GatewaySettings, work: Callable[[Callable[[], GatewayUnitOfWork]], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = make_engine(settings.database_url)
        database = Database(engine=engine, tables=kit)
        try:
            return await work(lambda: GatewayUnitOfWork(database))
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command()
def migrate() -> None:
    """Bring the gateway's database schema up to date."""
    url = GatewaySettings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        # A new installation's var/ folder may not exist yet.
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    upgrade(GATEWAY_ROOT, url)
    typer.echo("gateway schema up to date")


async def create_first_admin(
    uow_factory: Callable[[], GatewayUnitOfWork], organisation: str, client_name: str, scopes: frozenset[str]
) -> IssuedCredentials:
    """``scopes``: every scope of the installation (``domain.scopes.vocabulary`` of its upstreams)."""
    async with uow_factory() as uow:
        issued = await bootstrap_admin(uow, organisation, client_name, scopes)
        await uow.commit()
    return issued


@app.command("create-admin")
def create_admin(
    organisation: Annotated[str, typer.Option(help="The programme operator's organisation name.")] = "AKTO",
    client_name: Annotated[str, typer.Option(help="A name for this admin client.")] = "operator-admin",
) -> None:
    """Create an admin API client of the programme operator, with every scope; prints its id and secret once."""
    settings = GatewaySettings()
    scopes = vocabulary(settings.upstreams)
    try:
        issued = _with_database(settings, lambda uow: create_first_admin(uow, organisation, client_name, scopes))
    except Conflict as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from None
    typer.echo(
        json.dumps(
            {
                "client_id": issued.client.client_id,
                "client_secret": issued.secret,
                "org_id": str(issued.client.org_id),
                "scopes": sorted(issued.client.scopes),
            }
        )
    )


async def first_operator_person(
    uow_factory: Callable[[], GatewayUnitOfWork],
    organisation: str,
    email: str,
    name: str,
    scopes: frozenset[str],
    lifetime: timedelta,
) -> IssuedInvitation:
    async with uow_factory() as uow:
        issued = await invite_operator(uow, organisation, email, name, scopes, lifetime)
        await uow.commit()
    return issued


@app.command("invite-operator")
def invite_operator_command(
    email: Annotated[str, typer.Option(help="The person's email address: they sign in with it.")],
    name: Annotated[str, typer.Option(help="Their name as the pages show it.")] = "Programme operator admin",
    organisation: Annotated[str, typer.Option(help="The programme operator's organisation name.")] = "AKTO",
) -> None:
    """Invite a person of the programme operator as ``admin`` with every scope, and print their invitation link
    (they choose a password, then set up a second factor). For someone already invited, a new link replaces
    the earlier ones."""
    settings = GatewaySettings()
    lifetime = timedelta(seconds=settings.invitation_ttl_s)
    try:
        issued = _with_database(
            settings,
            lambda uow: first_operator_person(uow, organisation, email, name, vocabulary(settings.upstreams), lifetime),
        )
    except (Conflict, PersonError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from None
    link = f"{settings.public_url.rstrip('/')}/invitations/{issued.token}"
    typer.echo(f"Invitation for {issued.person.email} (until {issued.expires_at:%Y-%m-%d %H:%M} UTC): {link}")


@app.command("rotate-signing-key")
def rotate_signing_key() -> None:
    """Sign new tokens with a new key; the previous one stays published until its tokens expire."""
    settings = GatewaySettings()

    async def rotate(uow_factory: Callable[[], GatewayUnitOfWork]) -> str:
        ring = KeyRing(
            uow_factory,
            settings.encryption_secret(),
            token_ttl=timedelta(seconds=settings.token_ttl_s),
            leeway=timedelta(seconds=settings.key_leeway_s),
        )
        return await ring.rotate()

    typer.echo(_with_database(settings, rotate))


@app.command("publish-organisations")
def publish_organisations() -> None:
    """Publish every organisation again (through the outbox): the services' partner projections learn the
    organisations that existed before the gateway published its events."""

    async def publish(uow_factory: Callable[[], GatewayUnitOfWork]) -> int:
        async with uow_factory() as uow:
            count = await publish_all(uow)
            await uow.commit()
        return count

    typer.echo(f"{_with_database(GatewaySettings(), publish)} organisation(s) published")


if __name__ == "__main__":
    app()
