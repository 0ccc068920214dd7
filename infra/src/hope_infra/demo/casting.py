"""Bringing the partners of a run on stage: their organisations and clients at the gateway, the employers and
their pledges, the agreements that finance the cohorts, the residences that house the people."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

import httpx

from hope_infra.demo import partners
from hope_infra.demo.actors import employers, operator
from hope_infra.demo.cast import Cast, RunContext
from hope_infra.demo.gateway import PartnerClient

TRAINING_PROVIDERS = ("AFPA Formation", "GRETA Métiers", "Institut de Français Professionnel", "École des Métiers")
SUPPORT_PROVIDERS = ("AFPA Accompagnement", "ETTI Tremplin", "ETTI Passerelle")


async def cast_partners(http: httpx.AsyncClient, admin: PartnerClient, training: int = 2, supporting: int = 2) -> Cast:
    registry = partners.PartnerRegistry(http, admin)
    return Cast(
        admin=admin,
        akto=await registry.enrol(partners.operator_back_office()),
        ofii=await registry.enrol(partners.immigration_office()),
        training_providers=[await registry.enrol(partners.training_provider(n)) for n in TRAINING_PROVIDERS[:training]],
        support_providers=[await registry.enrol(partners.support_provider(n)) for n in SUPPORT_PROVIDERS[:supporting]],
    )


async def hire_employers(
    http: httpx.AsyncClient,
    cast: Cast,
    demand: Iterable[tuple[str, str, int]],
    rng: random.Random,
    ctx: RunContext,
    per_place: int = 6,
) -> None:
    """The employers behind the demand: for each (sector, region, places) wanted, one company per ``per_place``
    places, each with its own organisation and client, registered with its establishment and pledge."""
    registry = partners.PartnerRegistry(http, cast.admin)
    for sector, region, places in demand:
        hiring = cast.employers.setdefault((sector, region), [])
        for n in range(max(1, -(-places // per_place))):
            spec = partners.employer(f"{sector.replace('_', ' ').title()} {region}-{n + 1} SAS", employers.siret(rng))
            partner = await registry.enrol(spec)
            hiring.append(await employers.register(partner, sector, region, per_place, ctx.today, ctx.run))


async def finance(cast: Cast, people: int, ctx: RunContext, hourly_rate: Decimal, hours_each: Decimal) -> None:
    """Agreements for the run's period, sized for everyone's steps 3 and 4 with a margin."""
    period = (ctx.today - timedelta(days=31), ctx.today + timedelta(days=2 * 366))
    needed = (hours_each * people * Decimal("1.1")).quantize(Decimal("1"))
    cast.financing = await operator.sign_agreements(cast.akto, period, needed, hourly_rate, ctx.run)


def demand_of(cohorts: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """The places employers pledge: one per member of each planned cohort, by sector and region."""
    wanted: dict[tuple[str, str], int] = {}
    for sector, region, size in cohorts:
        wanted[(sector, region)] = wanted.get((sector, region), 0) + size
    return [(sector, region, places) for (sector, region), places in sorted(wanted.items())]
