"""The dashboard in Debian's Chromium (Playwright) with every page served by the real services (issue 18): the
whole platform on PostgreSQL and its own Kafka, a small programme played through the gateway by the demo
(``hope_infra.demo``, each partner with its own client), then three people invited by the operator's admin API.

The operator's admin signs in with a second factor and opens every page; each table shows what the services
answer that person through the gateway's API (reporting's indicators, enrolment's cohorts, training's ledger and
alerts, support's housing gaps, funding's money, employment's demand and follow-ups), and the cohorts and money
agree with what the demo did. The page switches to English and shows the same numbers. Each training provider's
coordinator sees its own cohort, its own figures, and not the other provider's cohort. No page meets an error
(console, script, Content-Security-Policy, an answer of 400 or more). Screenshots and load times are kept under
var/test-artefacts/dashboard-platform/.

Run alone: ``python3 -m uv run --frozen pytest tests/e2e -q -k browser`` (a few minutes: the platform's start,
the programme, then the browser).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway.tests.integration.chromium import chromium, errors_of, open_page, sign_in, switch_language  # noqa: F401
from gateway.tests.integration.chromium import table as texts
from playwright.async_api import Browser, Page

from hope_infra.demo.figures import ProgrammeFigures
from hope_infra.demo.gateway import Credentials, PartnerClient
from hope_infra.demo.programme import DemoOptions, Tally, play_programme
from hope_infra.demo.waiting import NotYet, eventually

from . import dashboard_figures as expect
from .conftest import PlatformOnPostgres

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]

ARTEFACTS = Path(__file__).parents[2] / "var" / "test-artefacts" / "dashboard-platform"
# Two cohorts of ten, one for each of two training providers; short courses (the demo's own test's), and more
# absences and withdrawals than the programme's rates so that alerts and dropouts show in so few people.
PROGRAMME = DemoOptions(
    seed=18,
    people=20,
    concurrency=2,
    figures=ProgrammeFigures(
        french_hours=Decimal(60), trade_hours=Decimal(72), dropout_rate=0.2, absence_streak_rate=0.2
    ),
)
HOUSING_GAPS = {"fr": "Ruptures d'hébergement", "en": "Housing gaps"}
PEOPLE_SCOPES = {
    # The operator's admin reads every service; a training provider's coordinator what its organisation's
    # systems read (hope_infra.demo.partners.training_provider), and reporting's figures.
    "operator": [f"{s}:read" for s in ("enrolment", "training", "support", "funding", "employment", "reporting")],
    "provider": [f"{s}:read" for s in ("enrolment", "training", "funding", "employment", "reporting")],
    # A support provider's case workers' coordinator: what its organisation's system reads.
    "supporter": [f"{s}:read" for s in ("enrolment", "support", "employment", "reporting")],
}


@dataclass(frozen=True)
class Invited:
    email: str
    invitation_url: str


@dataclass(frozen=True)
class Programme:
    gateway_url: str
    tally: Tally
    operator: Invited
    coordinators: list[Invited]  # of the training providers of tally.cohorts[0] and [1]
    supporter: Invited  # of the support provider of tally.cohorts[0]


async def _invite(admin: PartnerClient, org_id: str, role: str, scopes: list[str]) -> Invited:
    email = f"person-{uuid.uuid4().hex[:10]}@partner.example"
    body = {"email": email, "display_name": "Camille Martin", "roles": [role], "scopes": scopes}
    made = await admin.post(f"/admin/v1/organisations/{org_id}/people", body)
    return Invited(email, made["invitation_url"])


async def invited(
    gateway_url: str, admin: Credentials, org_id: str, tally: Tally
) -> tuple[Invited, list[Invited], Invited]:
    """The operator's admin (in the admin client's organisation), a coordinator of each cohort's training
    provider, and one of the first cohort's support provider."""
    providers = [cohort.plan.training_provider for cohort in tally.cohorts]
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as http:
        client = PartnerClient(http, admin)
        operator = await _invite(client, org_id, "admin", PEOPLE_SCOPES["operator"])
        coordinators = [await _invite(client, p.org_id, "reader", PEOPLE_SCOPES["provider"]) for p in providers]
        supporting = tally.cohorts[0].plan.support_provider.org_id
        supporter = await _invite(client, supporting, "reader", PEOPLE_SCOPES["supporter"])
    return operator, coordinators, supporter


@pytest.fixture(scope="module")
async def programme(platform_on_postgres: PlatformOnPostgres) -> Programme:
    platform = platform_on_postgres.platform
    stored = platform.admin_client
    admin = Credentials(stored["client_id"], stored["client_secret"])
    tally = await play_programme(platform.gateway_url, admin, PROGRAMME, lambda what, n: None)
    assert len(tally.cohorts) == 2
    assert tally.cohorts[0].plan.training_provider.org_id != tally.cohorts[1].plan.training_provider.org_id
    return Programme(platform.gateway_url, tally, *await invited(platform.gateway_url, admin, stored["org_id"], tally))


async def answer(page: Page, path: str) -> Any:
    """The platform's API's answer to the signed-in person (their session cookie, as the page's own calls)."""
    response = await page.request.get(path)
    assert response.ok, f"{path}: {response.status} {await response.text()}"
    return await response.json()


async def items(page: Page, path: str) -> list[Any]:
    """A list's items (one page holds all of this small programme's)."""
    found = await answer(page, path + ("&" if "?" in path else "?") + "limit=100")
    assert not found.get("next_cursor"), path
    listed: list[Any] = found["items"]
    return listed


async def listed(page: Page, what: str) -> list[str]:
    """The people a list of the page names (alerts, gaps): the start of their ids, as shown."""
    shown: list[str] = await page.eval_on_selector_all(
        f"ul[data-list={what}] li code", "codes => codes.map(c => c.textContent)"
    )
    return shown


REPORTED = {
    "people_per_step": "/api/reporting/v1/indicators/people_per_step?by=region",
    "dropouts_by_reason": "/api/reporting/v1/indicators/dropouts_by_reason?by=region",
    "entries": "/api/reporting/v1/indicators/entries?by=region",
    **{e: f"/api/reporting/v1/indicators/{e}?by=region" for e in expect.EMPLOYMENT},
    "money_by_funder": "/api/reporting/v1/indicators/money_by_funder?by=funder",
}


async def reported(page: Page) -> dict[str, Any]:
    """Reporting's answers behind the programme and funding pages, without the moment they were read at."""
    answers = {key: await answer(page, path) for key, path in REPORTED.items()}
    for found in answers.values():
        found.pop("generated_at", None)
    return answers


async def settled(page: Page, people: int) -> dict[str, Any]:
    """Reporting's answers once it has heard of everyone and of every payment, and reads the same twice."""
    last: dict[str, Any] = {}

    async def attempt() -> dict[str, Any]:
        nonlocal last
        now = await reported(page)
        entries = next(row for row in now["entries"]["groups"] if row["group"] == "total")
        paid = [row["figures"]["paid"] for row in now["money_by_funder"]["groups"] if row["group"] == "total"]
        if entries["people"] != people or not paid or Decimal(str(paid[0])) == 0 or now != last:
            last = now
            raise NotYet
        return now

    return await eventually(attempt, what="reporting's figures, still", timeout_s=180)


async def the_programme_page(page: Page, answers: dict[str, Any], lang: str, shot: str) -> dict[str, Any]:
    timing = await open_page(page, "/dashboard?by=region", ARTEFACTS / f"{shot}-programme-{lang}.png")
    for key in ("people_per_step", "dropouts_by_reason"):
        assert await expect.shown(page, key, lang) == expect.breakdown(answers[key]), key
    exits = answers["employment_at_exit"]
    assert expect.unlabelled(await expect.shown(page, "entries_exits", lang)) == expect.entries_and_exits(
        answers["entries"], exits
    )
    employment = expect.employment([answers[e] for e in expect.EMPLOYMENT])
    assert await expect.shown(page, "employment", lang) == employment
    return timing


async def the_funding_page(page: Page, answers: dict[str, Any], lang: str, shot: str) -> dict[str, Any]:
    timing = await open_page(page, "/dashboard/funding", ARTEFACTS / f"{shot}-funding-{lang}.png")
    funders = {f["id"]: f["name"] for f in await items(page, "/api/funding/v1/funders")}
    assert await expect.shown(page, "money_by_funder", lang) == expect.money_by_funder(
        answers["money_by_funder"], funders
    )
    agreements = await items(page, "/api/funding/v1/agreements")
    money = {a["id"]: await answer(page, f"/api/funding/v1/money/agreements/{a['id']}") for a in agreements}
    per_agreement = expect.money_by_agreement(agreements, money)
    assert expect.unlabelled(await expect.shown(page, "money_by_agreement", lang)) == per_agreement
    # Funding's agreements add up to reporting's total per funder: the two services agree on the money, committed
    # included (both count in it what was consumed beyond a commitment: reporting's money_by_funder version 3).
    total = next(row for row in answers["money_by_funder"]["groups"] if row["group"] == "total")
    for i, name in enumerate(expect.MONEY):
        assert sum(row[1 + i] for row in per_agreement) == Decimal(str(total["figures"][name])), name
    return timing


async def the_cohort_page(page: Page, cohort_id: str, lang: str, shot: str) -> dict[str, Any]:
    """One cohort: hours and attendance (training), open alerts (training), housing gaps (support, when the
    person reads it), money (funding), attendance by month (reporting)."""
    timing = await open_page(page, f"/dashboard/cohorts/{cohort_id}", ARTEFACTS / f"{shot}-cohort-{lang}.png")
    ledger = await answer(page, f"/api/training/v1/cohorts/{cohort_id}/ledger")
    assert expect.shown_ledger(await texts(page, "ledger"), lang) == expect.ledger(ledger)
    assert ledger["courses"], "the cohort's courses"
    alerts = [
        alert
        for course in ledger["courses"]
        for alert in await items(page, f"/api/training/v1/alerts?course_id={course['course_id']}&status=open")
    ]
    shown_alerts = await listed(page, "alerts")
    assert sorted(shown_alerts) == sorted(alert["beneficiary_id"][:8] for alert in alerts)
    gaps = await page.request.get(f"/api/support/v1/housing-gaps?cohort_id={cohort_id}&limit=200")
    if gaps.ok:
        mine = (await gaps.json())["items"]
        shown_gaps = await listed(page, "gaps")
        assert sorted(shown_gaps) == sorted(gap["beneficiary_id"][:8] for gap in mine)
    else:
        # support refuses this person: the page says so where the gaps would be.
        assert gaps.status == 403
        assert (
            await page.locator("section", has=page.locator("h2", has_text=HOUSING_GAPS[lang]))
            .locator(".not-available")
            .count()
            == 1
        )
    money = await answer(page, f"/api/funding/v1/money/cohorts/{cohort_id}")
    assert expect.unlabelled(await expect.shown(page, "cohort_money", lang)) == expect.cohort_money(money)
    # What the members attended, at the agreement's rate, is what funding says the cohort consumed.
    attended = sum(Decimal(course["total"]["attended"]) for course in ledger["courses"])
    assert attended * PROGRAMME.figures.hourly_rate == Decimal(money["consumed"])
    attendance = await answer(page, f"/api/reporting/v1/indicators/attendance_rate?by=month&cohort={cohort_id}")
    assert expect.unlabelled(await expect.shown(page, "cohort_attendance", lang)) == expect.monthly_rates(attendance)
    return timing


async def the_cohorts_page(page: Page, lang: str, shot: str) -> list[str]:
    """The cohorts page lists enrolment's answer to the person; the ids of the cohorts listed."""
    await open_page(page, "/dashboard/cohorts", ARTEFACTS / f"{shot}-cohorts-{lang}.png")
    listed = await items(page, "/api/enrolment/v1/cohorts")
    rows = [[*row[:4], *(expect.value_of(cell, lang) for cell in row[4:6])] for row in await texts(page, "cohorts")]
    assert rows == expect.cohorts(listed, lang)
    ids: list[str] = await page.eval_on_selector_all("tr[data-cohort]", "rows => rows.map(r => r.dataset.cohort)")
    assert ids == [c["id"] for c in listed]
    return ids


async def the_employers_page(page: Page, lang: str, shot: str) -> dict[str, Any]:
    timing = await open_page(page, "/dashboard/employers", ARTEFACTS / f"{shot}-employers-{lang}.png")
    demand = await answer(page, "/api/employment/v1/demand")
    assert demand, "the employers' pledges"
    assert await expect.shown(page, "demand", lang, texts=2) == expect.demand(demand, lang)
    vacancies = await items(page, "/api/employment/v1/vacancies")
    assert await expect.shown(page, "vacancies", lang, texts=3) == expect.vacancies(vacancies, lang) or (
        not vacancies and await texts(page, "vacancies") == [["Aucun" if lang == "fr" else "None"]]
    )
    return timing


async def the_follow_ups_page(page: Page, lang: str, shot: str) -> dict[str, Any]:
    timing = await open_page(page, "/dashboard/follow-ups", ARTEFACTS / f"{shot}-follow-ups-{lang}.png")
    summary = await answer(page, "/api/employment/v1/follow-ups/summary")
    assert summary, "the follow-ups of those who left"
    assert expect.unlabelled(await expect.shown(page, "follow_ups", lang)) == expect.follow_ups(summary)
    overdue = (await answer(page, "/api/employment/v1/follow-ups?overdue=true&limit=100"))["items"]
    shown = [row[0] for row in await texts(page, "overdue")]
    assert shown == [f["beneficiary_id"][:8] for f in overdue] or (not overdue and len(shown) == 1)
    return timing


async def the_dropout_risks_page(page: Page, lang: str, shot: str) -> None:
    await open_page(page, "/dashboard/dropout-risks", ARTEFACTS / f"{shot}-dropout-risks-{lang}.png")
    risks = await page.request.get("/api/reporting/v1/dropout-risks")
    if risks.ok:
        shown = [row[0] for row in await texts(page, "risks")]
        listed = (await risks.json())["items"]
        assert shown == [r["id"] for r in listed] or (not listed and len(shown) == 1)
    else:
        assert risks.status in {403, 404}
        assert await page.is_visible(".not-available")


async def test_every_page_from_the_real_services(chromium: Browser, programme: Programme) -> None:  # noqa: F811
    tally, timings = programme.tally, {}
    operator = programme.operator
    context, page = await sign_in(chromium, programme.gateway_url, operator.invitation_url, operator.email)
    answers = await settled(page, tally.people)

    timings["programme"] = await the_programme_page(page, answers, "fr", "operator")
    # So few withdrawals that reporting suppresses them: the page says "masqué", never 0.
    assert any(None in row for row in expect.breakdown(answers["dropouts_by_reason"])), "a suppressed cell"
    ids = await the_cohorts_page(page, "fr", "operator")
    assert sorted(ids) == sorted(c.cohort_id for c in tally.cohorts)
    for cohort in tally.cohorts:
        listed = await answer(page, f"/api/enrolment/v1/cohorts/{cohort.cohort_id}")
        assert listed["member_count"] == len(cohort.members)
        timings[f"cohort-{cohort.cohort_id[:8]}"] = await the_cohort_page(page, cohort.cohort_id, "fr", "operator")
    timings["funding"] = await the_funding_page(page, answers, "fr", "operator")
    timings["employers"] = await the_employers_page(page, "fr", "operator")
    timings["follow-ups"] = await the_follow_ups_page(page, "fr", "operator")
    await the_dropout_risks_page(page, "fr", "operator")

    # In English: the words change, the view's query is kept, and the numbers are the same.
    await page.goto("/dashboard?by=region")
    await switch_language(page, "en")
    assert page.url.endswith("/dashboard?by=region")
    assert await page.text_content("h1") == "The programme at a glance"
    timings["programme-en"] = await the_programme_page(page, answers, "en", "operator")
    timings["funding-en"] = await the_funding_page(page, answers, "en", "operator")
    await the_cohort_page(page, tally.cohorts[0].cohort_id, "en", "operator")
    assert errors_of(page) == []
    await context.close()

    for mine, coordinator in enumerate(programme.coordinators):
        theirs = tally.cohorts[1 - mine].cohort_id
        await a_coordinator_sees_their_own(chromium, programme, coordinator, tally.cohorts[mine].cohort_id, theirs)
    await a_support_coordinator_sees_their_own(chromium, programme)
    (ARTEFACTS / "timings.json").write_text(json.dumps(timings, indent=2))


async def a_coordinator_sees_their_own(
    chromium: Browser,  # noqa: F811
    programme: Programme,
    person: Invited,
    mine: str,
    theirs: str,
) -> None:
    """A training provider's coordinator: its own cohort and figures; the other provider's cohort is refused."""
    context, page = await sign_in(chromium, programme.gateway_url, person.invitation_url, person.email)
    shot = f"provider-{mine[:8]}"
    assert await the_cohorts_page(page, "fr", shot) == [mine]
    await the_cohort_page(page, mine, "fr", shot)
    await open_page(page, f"/dashboard/cohorts/{theirs}", ARTEFACTS / f"{shot}-other-cohort-fr.png")
    assert "Non disponible pour votre organisation" in (await page.text_content("main") or "")
    assert (await page.request.get(f"/api/enrolment/v1/cohorts/{theirs}")).status in {403, 404}
    # The programme's figures as reporting scopes them to the provider: its own people only.
    answers = await reported(page)
    await the_programme_page(page, answers, "fr", shot)
    entries = await answer(page, "/api/reporting/v1/indicators/entries?by=cohort")
    assert {row["group"] for row in entries["groups"]} <= {mine, "total"}
    await the_dropout_risks_page(page, "fr", shot)
    assert errors_of(page) == []
    await context.close()


async def a_support_coordinator_sees_their_own(chromium: Browser, programme: Programme) -> None:  # noqa: F811
    """A support provider's coordinator: the cohort it supports and not the other, its housing gaps, and the
    dropout-risk list reporting keeps for support providers; the training ledger is not theirs to read."""
    person, (mine, theirs) = programme.supporter, (c.cohort_id for c in programme.tally.cohorts)
    context, page = await sign_in(chromium, programme.gateway_url, person.invitation_url, person.email)
    shot = f"support-{mine[:8]}"
    assert await the_cohorts_page(page, "fr", shot) == [mine]
    await open_page(page, f"/dashboard/cohorts/{mine}", ARTEFACTS / f"{shot}-cohort-fr.png")
    gaps = (await answer(page, f"/api/support/v1/housing-gaps?cohort_id={mine}&limit=200"))["items"]
    shown_gaps = await listed(page, "gaps")
    assert sorted(shown_gaps) == sorted(gap["beneficiary_id"][:8] for gap in gaps)
    assert await page.locator("section:has(h2) .not-available").count() >= 1  # the ledger: training's
    await open_page(page, f"/dashboard/cohorts/{theirs}", ARTEFACTS / f"{shot}-other-cohort-fr.png")
    assert "Non disponible pour votre organisation" in (await page.text_content("main") or "")
    await the_dropout_risks_page(page, "fr", shot)
    assert not await page.is_visible(".not-available")  # the list is theirs: compared with reporting's above
    assert errors_of(page) == []
    await context.close()
