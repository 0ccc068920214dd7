"""A whole programme: about 1,500 people a year in cohorts of 10 to 12 across the regions and sectors employers
ask for, every cohort through its path, and AKTO's claims at the end. Deterministic for a seed."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import httpx

from hope_infra.demo import casting, cohort_path
from hope_infra.demo.actors import ofii, operator
from hope_infra.demo.calendar import SESSION_HOURS, CohortCalendar
from hope_infra.demo.cast import Cast, RunContext
from hope_infra.demo.fates import draw_fate
from hope_infra.demo.figures import REGIONS, SECTORS, ProgrammeFigures
from hope_infra.demo.gateway import Credentials, PartnerClient
from hope_infra.demo.people import draw_person

# Where AKTO's member companies ask most (weights per sector; regions weigh like their share of refugees).
SECTOR_WEIGHTS = {
    "construction": 18, "industry": 12, "logistics": 16, "hospitality_catering": 14, "cleaning": 12,
    "agriculture": 6, "transport": 8, "retail": 6, "care": 6, "digital": 2,
}  # fmt: skip
REGION_WEIGHTS = (30, 5, 5, 6, 8, 8, 7, 6, 7, 6, 7, 5)


@dataclass(frozen=True)
class DemoOptions:
    seed: int = 2017
    years: float = 1.0
    people: int | None = None
    concurrency: int = 4
    figures: ProgrammeFigures = field(default_factory=ProgrammeFigures)

    @property
    def size(self) -> int:
        return self.people if self.people is not None else round(self.figures.entries_per_year * self.years)


@dataclass
class Tally:
    """What the run did, as the platform answered it."""

    people: int = 0
    cohorts: list[cohort_path.CohortRun] = field(default_factory=list)
    claims_paid: list[str] = field(default_factory=list)
    # Who reads the programme's figures in reporting, with which client: (organisation, kind, client id).
    figure_readers: list[tuple[str, str, str]] = field(default_factory=list)


Advance = Callable[[str, int], None]


def cohort_sizes(people: int, figures: ProgrammeFigures) -> list[int]:
    """``people`` in as few cohorts of ``cohort_size`` as fit (a smaller run is one smaller cohort)."""
    high = figures.cohort_size[1]
    count = max(1, -(-people // high))
    base, extra = divmod(people, count)
    sizes = [base + (1 if i < extra else 0) for i in range(count)]
    return sizes


def planned_cohorts(rng: random.Random, sizes: list[int]) -> list[tuple[str, str, int]]:
    """Each cohort's sector and region: where employers want people."""
    return [
        (rng.choices(SECTORS, [SECTOR_WEIGHTS[s] for s in SECTORS])[0], rng.choices(REGIONS, REGION_WEIGHTS)[0], size)
        for size in sizes
    ]


async def form_from_demand(cast: Cast, planned: list[tuple[str, str, int]], today: date) -> list[tuple[str, str, int]]:
    """AKTO reads the employers' demand and forms its cohorts where places are pledged: the planned cohorts,
    in the order of the demand, each only where its places were pledged."""
    demand = await cast.akto.client.get("/api/employment/v1/demand", on=today.isoformat())
    lines = demand["items"] if isinstance(demand, dict) else demand
    pledged = {(line["sector_code"], line["region_code"]): int(line["pledged_places"]) for line in lines}
    formed = []
    for sector, region, size in planned:
        if pledged.get((sector, region), 0) >= size:
            pledged[(sector, region)] -= size
            formed.append((sector, region, size))
    return formed


async def register_someone_new(cast: Cast, drawn: random.Random, today: date, ctx: RunContext) -> str:
    """A person no run registered before: a name and birth date already known to enrolment (another seed's
    person) is drawn again."""
    while True:
        try:
            return await ofii.register(cast.ofii, draw_person(drawn, today), ctx.run)
        except ofii.AlreadyRegistered:
            continue


async def play_programme(gateway_url: str, admin: Credentials, options: DemoOptions, advance: Advance) -> Tally:
    # Not for secrets: a seeded generator, so that a seed replays the same programme.
    rng, figures, today = random.Random(options.seed), options.figures, date.today()  # noqa: S311
    ctx = RunContext(run=f"seed-{options.seed}-{options.size}", today=today)
    tally = Tally()
    limits = httpx.Limits(max_connections=options.concurrency * 4)
    async with httpx.AsyncClient(base_url=gateway_url, timeout=120, limits=limits) as http:
        cast = await casting.cast_partners(http, PartnerClient(http, admin), training=4, supporting=3)
        tally.figure_readers = [
            (p.name, p.spec.org_kind, p.figures.credentials.client_id) for p in cast.figure_readers() if p.figures
        ]
        planned = planned_cohorts(rng, cohort_sizes(options.size, figures))
        await casting.hire_employers(http, cast, casting.demand_of(planned), rng, ctx)
        await casting.finance(cast, options.size, ctx, figures.hourly_rate, figures.committed_hours)
        advance("partners", 1)
        formed = await form_from_demand(cast, planned, today)
        gate = asyncio.Semaphore(options.concurrency)

        async def one(index: int, sector: str, region: str, size: int) -> None:
            async with gate:
                members = []
                for n in range(size):
                    # Each person from their own generator: the same seed gives the same people and fates
                    # whatever order the cohorts run in.
                    drawn = random.Random(f"{options.seed}/{index}/{n}")  # noqa: S311
                    fate, hours = draw_fate(drawn, figures), drawn.randint(*figures.ofii_hours)
                    beneficiary_id = await register_someone_new(cast, drawn, today, ctx)
                    await ofii.record_step_one(cast.ofii, beneficiary_id, hours, today, ctx.run)
                    members.append(cohort_path.Member(beneficiary_id, fate))
                    advance("registered", 1)
                plan = operator.CohortPlan(
                    name=f"HOPE {today.year} {region}-{sector} n°{index + 1}",
                    sector=sector,
                    region=region,
                    capacity=12,
                    training_provider=cast.training_providers[index % len(cast.training_providers)],
                    support_provider=cast.support_providers[index % len(cast.support_providers)],
                )
                sessions = (int(figures.french_hours) // SESSION_HOURS, int(figures.trade_hours) // SESSION_HOURS)
                cohort = cohort_path.CohortRun(plan, CohortCalendar.from_formation(today, *sessions), members)
                for phase in cohort_path.PHASES:
                    await phase(cast, cohort, ctx)
                    advance("phases", 1)
                tally.cohorts.append(cohort)
                tally.people += size

        await asyncio.gather(*(one(i, *c) for i, c in enumerate(formed)))
        for cohort in tally.cohorts:
            await cohort_path.consumption_caught_up(cast, cohort)
        tally.claims_paid = await cohort_path.claim_and_get_paid(cast, ctx)
        advance("claims", 1)
    return tally
