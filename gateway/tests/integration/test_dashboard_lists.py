"""Long lists on the dashboard, as the operator of a national programme meets them: the cohorts come a screen at
a time (one call to enrolment, a link to the next screen); the vacancies are all counted, each status's share
asked at the same time; funding says when it shows the first agreements only; a cohort is asked together with
its parts. How many calls a page made, and how many one after another, is read from its Server-Timing."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway_service.api.dashboard.money import MAX_AGREEMENTS
from hopekit.api.pagination import MAX_LIMIT

from .dashboard_platform import (
    DashboardPlatform,
    LongLists,
    StandIn,
    dashboard_platform,
    hand_made_facts,
    server_timing,
    signed_in,
    upstream_calls,
)
from .people import Browser

pytestmark = pytest.mark.integration

COHORTS = 450  # two screens and a half
REGIONS = ("11", "84", "93")
_COHORT_ROW = re.compile(r'<tr data-cohort="([0-9a-f-]+)">')
_MORE = re.compile(r'<a href="(/dashboard/cohorts\?[^"]*)" data-link="next-screen"')


class Lists:
    stand_in: LongLists
    listed = [(uuid.uuid4(), REGIONS[index % len(REGIONS)], "logistics", uuid.uuid4()) for index in range(COHORTS)]

    def make(self, cohorts: dict[uuid.UUID, uuid.UUID], funder: uuid.UUID) -> StandIn:
        self.stand_in = LongLists(self.listed, cohorts, funder)
        return self.stand_in


LISTS = Lists()


@pytest.fixture(scope="module")
async def long_lists(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[DashboardPlatform]:
    async with dashboard_platform(postgres_admin_url, kafka_bootstrap, hand_made_facts, LISTS.make) as platform:
        yield platform


@pytest.fixture(scope="module")
async def operator(long_lists: DashboardPlatform) -> Browser:
    return await signed_in(long_lists, long_lists.operator)


def calls(page: Any) -> tuple[int, int]:
    return upstream_calls(server_timing(page.headers["server-timing"]))


async def test_the_cohorts_come_a_screen_at_a_time(operator: Browser) -> None:
    seen: list[str] = []
    path: str | None = "/dashboard/cohorts"
    screens = 0
    while path is not None:
        page = await operator.get(path.replace("&amp;", "&"))
        assert page.status_code == 200, page.text
        assert calls(page) == (1, 1)  # one page of enrolment's list, not all of them one after another
        rows = _COHORT_ROW.findall(page.text)
        assert len(rows) <= MAX_LIMIT
        seen += rows
        screens += 1
        more = _MORE.search(page.text)
        path = more.group(1) if more else None
    assert screens == math.ceil(COHORTS / MAX_LIMIT)
    assert seen == [str(cohort[0]) for cohort in LISTS.listed]
    assert 'data-link="first-screen"' in page.text


async def test_a_filtered_screen_follows_enrolments_pages_until_it_is_full_or_the_list_ends(operator: Browser) -> None:
    page = await operator.get("/dashboard/cohorts?region=84")
    wanted = [str(cohort[0]) for cohort in LISTS.listed if cohort[1] == "84"]
    assert _COHORT_ROW.findall(page.text) == wanted
    assert calls(page) == (math.ceil(COHORTS / MAX_LIMIT),) * 2
    assert 'data-link="next-screen"' not in page.text


async def test_a_link_to_the_next_cohorts_not_given_out_is_refused(operator: Browser) -> None:
    refused = await operator.get("/dashboard/cohorts?after=Zm9v")  # enrolment does not know it
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("invalid-cursor")
    assert (await operator.get("/dashboard/cohorts?after=!!bad")).status_code == 422


def _vacancy_positions(html: str) -> int:
    table = html.split('data-table="vacancies"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td></tr>", table)
    return sum(int(re.sub(r"\D", "", cell)) for cell in cells)


async def test_every_vacancy_is_counted_each_status_asked_at_once(operator: Browser) -> None:
    page = await operator.get("/dashboard/employers")
    assert page.status_code == 200, page.text
    assert _vacancy_positions(page.text) == sum(v["positions"] for v in LISTS.stand_in.vacancies)
    assert "seules les premières lignes" not in page.text
    per_status = max(
        math.ceil(sum(v["status"] == s for v in LISTS.stand_in.vacancies) / MAX_LIMIT) for s in ("open", "filled")
    )
    made, in_a_row = calls(page)
    assert in_a_row == per_status < math.ceil(len(LISTS.stand_in.vacancies) / MAX_LIMIT)
    assert made > in_a_row


async def test_funding_says_when_it_shows_the_first_agreements_only(operator: Browser) -> None:
    assert len(LISTS.stand_in.agreements) > MAX_AGREEMENTS
    page = await operator.get("/dashboard/funding")
    assert "Seules les 50 premières conventions sont affichées." in page.text
    # money_by_funder, the agreements, the funders and one money view per agreement shown, in two rounds
    assert calls(page) == (3 + MAX_AGREEMENTS, 2)


async def test_a_cohort_is_asked_together_with_its_parts(long_lists: DashboardPlatform, operator: Browser) -> None:
    cohort = LISTS.listed[7][0]
    page = await operator.get(f"/dashboard/cohorts/{cohort}")
    assert page.status_code == 200, page.text
    assert "data-cohort-name" in page.text
    # enrolment, training's ledger, support, funding, reporting together; then each course's open alerts.
    assert calls(page)[1] == 2
