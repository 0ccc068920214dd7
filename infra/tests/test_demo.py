"""``hope demo`` against the real platform (its processes, its own Kafka, SQLite under a temporary folder), small:
24 people. Everything is checked through the gateway, as AKTO sees it; then the same seed played again doubles
nothing. The partners reporting shows figures to read them with the clients the demo gave them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from hope_infra.demo import casting
from hope_infra.demo.calendar import SESSION_HOURS
from hope_infra.demo.figures import ProgrammeFigures
from hope_infra.demo.gateway import Credentials, PartnerClient, Refused
from hope_infra.demo.launcher import RunningPlatform, running_platform
from hope_infra.demo.programme import DemoOptions, Tally, play_programme
from hope_infra.demo.waiting import NotYet, eventually

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

# Short courses (10 and 12 sessions): the path is the programme's, the hours fewer, so the test stays short.
SMALL = DemoOptions(
    seed=11, people=24, concurrency=2, figures=ProgrammeFigures(french_hours=Decimal(60), trade_hours=Decimal(72))
)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    with running_platform(Path(tmp_path_factory.mktemp("platform"))) as running:
        yield running


@pytest.fixture(scope="module")
def played(platform: RunningPlatform) -> Tally:
    """The small programme, played once for the module."""
    return play(platform, SMALL)


def play(platform: RunningPlatform, options: DemoOptions) -> Tally:
    admin = Credentials(platform.admin_client["client_id"], platform.admin_client["client_secret"])
    return asyncio.run(play_programme(platform.gateway_url, admin, options, lambda what, n: None))


async def seen_by_akto(platform: RunningPlatform) -> dict[str, Any]:
    """What AKTO's back office reads of the programme, service by service."""
    admin = Credentials(platform.admin_client["client_id"], platform.admin_client["client_secret"])
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as http:
        akto = (await casting.cast_partners(http, PartnerClient(http, admin), training=0, supporting=0)).akto.client
        cohorts = await akto.items("/api/enrolment/v1/cohorts")
        people = {c["id"]: await akto.items("/api/enrolment/v1/beneficiaries", cohort_id=c["id"]) for c in cohorts}
        ledgers = {c["id"]: await akto.get(f"/api/training/v1/cohorts/{c['id']}/ledger") for c in cohorts}
        money = {c["id"]: await akto.get(f"/api/funding/v1/money/cohorts/{c['id']}") for c in cohorts}
        everyone = [p["id"] for members in people.values() for p in members]
        outcomes = {b: await akto.get(f"/api/employment/v1/outcomes/{b}") for b in everyone}
        return {
            "cohorts": cohorts,
            "people": people,
            "ledgers": ledgers,
            "money": money,
            "outcomes": outcomes,
            "claims": await akto.items("/api/funding/v1/claims"),
            "contracts": await akto.items("/api/employment/v1/contracts"),
        }


def expected_hours(tally: Tally) -> Decimal:
    """Six hours a present day: every sheet day of step 3 but an absent streak's first three, half of step 3 for
    those who withdrew, every day of step 4 for the others."""
    total = 0
    for cohort in tally.cohorts:
        french, trade = cohort.calendar.french.count, cohort.calendar.trade.count
        for member in cohort.members:
            if member.fate.withdraws:
                total += french // 2
            else:
                total += french - (3 if member.fate.absent_streak else 0) + trade
    return Decimal(total * SESSION_HOURS)


def test_a_small_programme_is_on_the_platform_and_a_replay_doubles_nothing(
    platform: RunningPlatform, played: Tally
) -> None:
    tally = played
    seen = asyncio.run(seen_by_akto(platform))

    assert [len(c.members) for c in tally.cohorts] == [12, 12]
    assert sorted(c["member_count"] for c in seen["cohorts"]) == [12, 12]
    assert sorted((c["sector_code"], c["region"]) for c in seen["cohorts"]) == sorted(
        (c.plan.sector, c.plan.region) for c in tally.cohorts
    )
    members = {m.beneficiary_id for c in tally.cohorts for m in c.members}
    assert {p["id"] for ps in seen["people"].values() for p in ps} == members

    attended = sum(
        Decimal(course["total"]["attended"]) for led in seen["ledgers"].values() for course in led["courses"]
    )
    assert attended == expected_hours(tally)

    consumed = sum(Decimal(m["consumed"]) for m in seen["money"].values())
    assert consumed == attended * SMALL.figures.hourly_rate
    paid = [claim for claim in seen["claims"] if claim["status"] == "paid"]
    assert len(paid) == len(tally.claims_paid) == 2
    assert all(claim["paid_amount"] == claim["approved"] == claim["claimed"] for claim in paid)
    assert sum(Decimal(claim["paid_amount"]) for claim in paid) == consumed

    staying = [m for c in tally.cohorts for m in c.members if m.fate.withdraws is None]
    assert len(seen["contracts"]) == len(staying)
    employed = {b for b, o in seen["outcomes"].items() if o["observation"]["counts_as_employed"]}
    assert employed == {m.beneficiary_id for m in staying if m.fate.employed_at_exit}
    assert all(len(o["follow_ups"]) == 3 for o in seen["outcomes"].values())

    replayed = play(platform, SMALL)
    again = asyncio.run(seen_by_akto(platform))
    assert {m.beneficiary_id for c in replayed.cohorts for m in c.members} == members
    for what in ("cohorts", "claims", "contracts"):
        assert len(again[what]) == len(seen[what]), what
    assert again["money"] == seen["money"]
    assert again["ledgers"] == seen["ledgers"]


ENTRIES = "/api/reporting/v1/indicators/entries"


async def _cohorts_counted(client: PartnerClient) -> dict[str, Any]:
    """The people who entered, per cohort, as ``client`` is shown them (the total row left out)."""
    answer = await client.get(ENTRIES, by="cohort")
    return {row["group"]: row["people"] for row in answer["groups"] if row["group"] != "total"}


async def _refused(client: PartnerClient, path: str) -> int:
    try:
        await client.get(path)
    except Refused as refused:
        return refused.status
    raise AssertionError(f"{path} was answered")


async def figures_as_partners_read_them(platform: RunningPlatform, played: Tally) -> None:
    admin = Credentials(platform.admin_client["client_id"], platform.admin_client["client_secret"])
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as http:
        cast = await casting.cast_partners(http, PartnerClient(http, admin), training=4, supporting=3)
        readers = {partner.name: partner for partner in cast.figure_readers()}
        assert sorted((n, k) for n, k, _ in played.figure_readers) == sorted(
            (p.name, p.spec.org_kind) for p in readers.values()
        )
        # The clients the run printed are the ones the partners hold (found again by name, not made twice).
        assert {c for _, _, c in played.figure_readers} == {
            p.figures.credentials.client_id for p in readers.values() if p.figures
        }
        assert cast.ofii.figures is None
        assert cast.akto.figures is not None

        everyone = {c.cohort_id: len(c.members) for c in played.cohorts}

        async def operator_sees_every_cohort() -> dict[str, Any]:
            assert cast.akto.figures is not None
            counted = await _cohorts_counted(cast.akto.figures)
            if counted != everyone:
                raise NotYet
            return counted

        await eventually(operator_sees_every_cohort, what="reporting's entries per cohort", timeout_s=120)
        for cohort in played.cohorts:
            for provider in (cohort.plan.training_provider, cohort.plan.support_provider):
                figures = readers[provider.name].figures
                assert figures is not None
                theirs = {c.cohort_id for c in played.cohorts if provider.name in _providers_of(c)}
                assert set(await _cohorts_counted(figures)) == theirs, provider.name
        supporting = readers[played.cohorts[0].plan.support_provider.name]
        # The dropout-risk list: person-level, for the provider's own work client and not its figures client.
        assert "items" in await supporting.client.get("/api/reporting/v1/dropout-risks")
        assert supporting.figures is not None
        assert await _refused(supporting.figures, "/api/reporting/v1/dropout-risks") == 403
        # Aggregates only: the figures client reads nobody's identity, and OFII reads no figures.
        assert await _refused(cast.akto.figures, "/api/enrolment/v1/beneficiaries") == 403
        assert await _refused(cast.ofii.client, ENTRIES) == 403


def _providers_of(cohort: Any) -> set[str]:
    return {cohort.plan.training_provider.name, cohort.plan.support_provider.name}


def test_the_operator_and_each_provider_read_their_own_figures_with_the_client_the_demo_gave_them(
    platform: RunningPlatform, played: Tally
) -> None:
    asyncio.run(figures_as_partners_read_them(platform, played))
