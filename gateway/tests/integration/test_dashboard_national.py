"""How long the dashboard's pages take at national scale: reporting holds the reporting benchmark's programme
(100,000 people over ten years, 2,000 cohorts, 12 regions, written with COPY), and the programme operator, who
sees all of it, opens each page; the other services stand in with lists of the same scale (2,000 cohorts, their
agreements, vacancies and follow-ups), paged as the services page them. Each page is asked once cold, then five
times; the median and the slowest are written to var/test-artefacts/dashboard/national-timings.json with the
first (cold) load, each with the page's own account of where its time went (its Server-Timing: calls to the
services, how many of them one after another, the wait on them, the gateway's own part). The issue's target:
under 1 s."""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from benchmarks.reporting_data import REGIONS, SECTORS, Facts, copy, national

from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT

from .dashboard_platform import ARTEFACTS, DashboardPlatform, StandIn, dashboard_platform, money_view, signed_in
from .people import Browser

# Minutes long (the national programme is made and copied first) and a measurement, not a test: make bench runs it.
pytestmark = [pytest.mark.integration, pytest.mark.national_scale]

PAGES = (
    "/dashboard?by=region",
    "/dashboard?by=provider",
    "/dashboard?by=sector&from=2024-01-01&to=2024-12-31",
    "/dashboard/funding",
    "/dashboard/cohorts",
    "/dashboard/employers",
    "/dashboard/follow-ups",
)
TIMES = 5
TARGET_S = 1.0
PROGRAMME_INDICATORS = (
    "people_per_step",
    "entries",
    "dropouts_by_reason",
    "employment_at_exit",
    "employment_at_3_months",
    "employment_at_6_months",
    "employment_at_12_months",
)


# The other services' lists at the same scale, as the operator would page through them (assumed sizes: the
# reporting data set's 2,000 cohorts and 8 funders; one agreement per funder a year over its ten years; two
# vacancies a cohort; a thousand follow-ups overdue).
AGREEMENTS_PER_FUNDER = 10
VACANCIES_PER_COHORT = 2
OVERDUE_FOLLOW_UPS = 1_000
COURSES_PER_COHORT = 2
ALERTS_PER_COURSE = 3
VACANCY_STATUSES = ("open", "filled", "closed")


def paged(items: list[Any], query: dict[str, str]) -> tuple[int, Any]:
    """A page of a list as the services give it: ``limit`` up to hopekit's bound, an opaque ``cursor``."""
    limit = int(query.get("limit", DEFAULT_LIMIT))
    if not 1 <= limit <= MAX_LIMIT:
        return 422, {"title": "limit out of range"}
    start = int(query.get("cursor") or 0)
    more = start + limit < len(items)
    return 200, {"items": items[start : start + limit], "next_cursor": str(start + limit) if more else None}


class NationalStandIn(StandIn):
    """enrolment, training, funding and employment holding the national programme's cohorts and the lists that
    go with them, for the programme operator (who sees all of them)."""

    def __init__(self, facts: Facts, cohorts: dict[uuid.UUID, uuid.UUID], funder: uuid.UUID) -> None:
        super().__init__(cohorts, funder)
        columns, rows = facts.tables["fact_cohorts"]
        self.all = {
            str(fact["cohort_id"]): {
                **self.cohort(next(iter(cohorts)), 0),
                "id": str(fact["cohort_id"]),
                "name": f"Cohorte {index + 1}",
                "sector_code": fact["sector_code"],
                "region": fact["region"],
                "training_provider_org_id": str(fact["training_provider_org_id"]),
            }
            for index, fact in enumerate(dict(zip(columns, row, strict=True)) for row in rows)
        }
        self.cohort_list = list(self.all.values())
        chance = random.Random(18)
        funders = [str(uuid.UUID(int=chance.getrandbits(128), version=4)) for _ in range(8)]
        self.funders = [{"id": f, "name": f"Financeur {i + 1}"} for i, f in enumerate(funders)]
        self.agreements = [
            {"id": str(uuid.UUID(int=chance.getrandbits(128), version=4)), "funder_id": f, "reference": f"CONV-{y}-{i}"}
            for y in range(2017, 2017 + AGREEMENTS_PER_FUNDER)
            for i, f in enumerate(funders)
        ]
        self.vacancies = [
            {
                "id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                "sector_code": c["sector_code"],
                "region_code": c["region"],
                "status": chance.choice(VACANCY_STATUSES),
                "positions": chance.randint(1, 4),
            }
            for c in self.cohort_list
            for _ in range(VACANCIES_PER_COHORT)
        ]
        self.overdue = [
            {
                "id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                "beneficiary_id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                "months_after_exit": chance.choice((3, 6, 12)),
                "due_on": "2026-06-01",
                "status": "due",
            }
            for _ in range(OVERDUE_FOLLOW_UPS)
        ]

    def answer(self, path: str, claims: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if path == "/v1/cohorts":
            return paged(self.cohort_list, query)
        if parts[:2] == ["v1", "cohorts"] and parts[2] in self.all:
            if parts[3:] == ["ledger"]:
                return 200, self._national_ledger(parts[2])
            return 200, self.all[parts[2]]
        if parts[:3] == ["v1", "money", "cohorts"] or parts[:3] == ["v1", "money", "agreements"]:
            return 200, money_view("48000.00", "15006.00", "12000.00", "9603.00")
        if path == "/v1/alerts":
            course = query["course_id"]
            alerts = [
                {"beneficiary_id": course, "rule": "low_attendance_rate", "raised_at": "2026-03-02T10:00:00Z"}
            ] * ALERTS_PER_COURSE
            return paged(alerts, query)
        lists = {
            "/v1/funders": self.funders,
            "/v1/agreements": self.agreements,
            "/v1/vacancies": [
                v
                for v in self.vacancies
                if query.get("sector_code") in (None, v["sector_code"]) and query.get("status") in (None, v["status"])
            ],
            "/v1/follow-ups": self.overdue,
        }
        if path in lists:
            return paged(lists[path], query)
        if path == "/v1/demand":
            return 200, [
                {"sector_code": s, "region_code": r, "pledged_places": 24, "open_positions": 7}
                for s in SECTORS
                for r in REGIONS
            ]
        if path == "/v1/follow-ups/summary":
            return 200, [
                {"months_after_exit": m, "status": s, "count": 400, "overdue": 111 if s == "due" else 0}
                for m in (3, 6, 12)
                for s in ("due", "done", "unreachable")
            ]
        return super().answer(path, claims, query)

    def _national_ledger(self, cohort: str) -> dict[str, Any]:
        hours = self._ledger(next(iter(self.cohorts)))["courses"][0]["total"]
        courses = []
        for step in range(3, 3 + COURSES_PER_COHORT):
            course = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{cohort}/{step}"))
            people = [
                {"beneficiary_id": str(uuid.uuid4()), "course_id": course, "step": step, "hours": hours}
                | {"french_support": None}
                for _ in range(12)
            ]
            courses.append({"course_id": course, "step": step, "total": hours, "people": people})
        return {"cohort_id": cohort, "courses": courses}


class NationalProgramme:
    """The reporting benchmark's programme: written into reporting with COPY, and the stand-in's lists made from
    the same cohorts. Its first two cohorts stand for the providers' cohorts A and B."""

    facts: Facts

    async def write(self, reporting_db: str, orgs: list[uuid.UUID], funder: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
        self.facts = await asyncio.to_thread(national)
        await copy(reporting_db, self.facts)
        columns, rows = self.facts.tables["fact_cohorts"]
        at = columns.index("cohort_id")
        return rows[0][at], rows[1][at]

    def stand_in(self, cohorts: dict[uuid.UUID, uuid.UUID], funder: uuid.UUID) -> StandIn:
        return NationalStandIn(self.facts, cohorts, funder)


@pytest.fixture(scope="module")
async def national_dashboard(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[DashboardPlatform]:
    programme = NationalProgramme()
    async with dashboard_platform(postgres_admin_url, kafka_bootstrap, programme.write, programme.stand_in) as platform:
        yield platform


@dataclass(frozen=True)
class Sample:
    """One load of a page: its time as the browser waited, the process's CPU time meanwhile (gateway, reporting
    and the stand-in share this process), whether every part was there, and the page's Server-Timing."""

    seconds: float
    cpu_s: float
    complete: bool
    timing: dict[str, tuple[float, str]]

    def parts(self) -> dict[str, object]:
        """The page's own account (api.dashboard.timing): its calls, how many in a row, the time it waited on
        the services, the gateway's own part, and the longest call to reporting."""
        calls, _, row = self.timing["upstream"][1].partition(" calls / ")
        return {
            "s": round(self.seconds, 3),
            "cpu_ms": round(self.cpu_s * 1000, 1),
            "calls": int(calls),
            "in_a_row": int(row.split()[0]),
            "upstream_ms": self.timing["upstream"][0],
            "gateway_ms": self.timing["gateway"][0],
            "render_ms": self.timing["render"][0],
            "reporting_longest_ms": self.timing.get("reporting", (0.0, ""))[0],
        }


def server_timing(header: str) -> dict[str, tuple[float, str]]:
    found = {}
    for metric in header.split(", "):
        name, *params = metric.split(";")
        values = dict(param.split("=", 1) for param in params)
        found[name] = (float(values.get("dur", 0)), values.get("desc", "").strip('"'))
    return found


async def timed(browser: Browser, path: str) -> Sample:
    cpu, started = time.process_time(), time.perf_counter()
    page = await browser.get(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert page.status_code == 200, page.text
    complete = "indisponible" not in page.text
    return Sample(elapsed, cpu, complete, server_timing(page.headers["server-timing"]))


async def reporting_call(browser: Browser, indicator: str, by: str) -> float:
    started = time.perf_counter()
    answer = await browser.call("GET", f"/api/reporting/v1/indicators/{indicator}", csrf=False, params={"by": by})
    assert answer.status_code == 200, answer.text
    return time.perf_counter() - started


async def test_each_page_answers_at_national_scale_and_its_time_is_kept(national_dashboard: DashboardPlatform) -> None:
    """A measurement: every page answers (200, never a 500) and its times are written down with where they went
    (the page's Server-Timing); the issue's 1 s target is read from them (the report says whether it holds), as
    is the time of each of reporting's answers the programme page needs, asked alone through the gateway."""
    operator = await signed_in(national_dashboard, national_dashboard.operator)
    figures: dict[str, object] = {"load_before": os.getloadavg()}
    for path in (*PAGES, f"/dashboard/cohorts/{national_dashboard.cohort_a}"):
        # The first read after the COPY finds reporting's caches cold.
        first = await timed(operator, path)
        samples = sorted([await timed(operator, path) for _ in range(TIMES)], key=lambda sample: sample.seconds)
        median = samples[len(samples) // 2]
        figures[path] = {
            "first": first.parts(),
            "median": median.parts(),
            "max_s": round(samples[-1].seconds, 3),
            "complete": all(sample.complete for sample in samples),
            "under_target": median.seconds < TARGET_S,
        }
    for indicator in PROGRAMME_INDICATORS:
        alone = [await reporting_call(operator, indicator, "region") for _ in range(3)]
        figures[f"reporting {indicator} by=region"] = {"median_s": round(statistics.median(alone), 3)}
    figures["load_after"] = os.getloadavg()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "national-timings.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
