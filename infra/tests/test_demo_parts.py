"""The demo's own pieces, without a platform: sizes, calendars, sheets, identifiers, fates, and its client's
retries and keys (against a fake gateway made with httpx's MockTransport)."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from rich.console import Console

from hope_infra.demo import partners
from hope_infra.demo.actors.employers import siret
from hope_infra.demo.actors.providers import attendance_csv
from hope_infra.demo.calendar import CohortCalendar, working_days
from hope_infra.demo.command import figure_readers
from hope_infra.demo.fates import draw_fate
from hope_infra.demo.figures import ProgrammeFigures
from hope_infra.demo.gateway import Credentials, PartnerClient, Refused, idempotency_key
from hope_infra.demo.programme import Tally, cohort_sizes


def luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@pytest.mark.parametrize("people", [10, 24, 100, 1500, 3001])
def test_a_programme_is_cut_into_cohorts_of_ten_to_twelve(people: int) -> None:
    sizes = cohort_sizes(people, ProgrammeFigures())
    assert sum(sizes) == people
    assert all(10 <= size <= 12 for size in sizes)


def test_a_run_smaller_than_a_cohort_is_one_smaller_cohort() -> None:
    assert cohort_sizes(7, ProgrammeFigures()) == [7]


def test_sirets_pass_the_check_digits_of_both_siren_and_siret() -> None:
    rng = random.Random(3)
    for _ in range(200):
        number = siret(rng)
        assert len(number) == 14
        assert luhn(number[:9])
        assert luhn(number)


def test_courses_run_on_working_days_and_step_four_follows_step_three() -> None:
    saturday = date(2026, 12, 5)
    assert working_days(saturday, 3) == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]
    calendar = CohortCalendar.from_formation(date(2026, 12, 2), 5, 4)
    assert calendar.french.days == [date(2026, 12, d) for d in (2, 3, 4, 7, 8)]
    assert calendar.trade.first == date(2026, 12, 9)
    assert calendar.trade.last == date(2026, 12, 14)
    # Formed on a Saturday: the first session that day (the absence rules see it), then working days.
    weekend = CohortCalendar.from_formation(saturday, 3, 2)
    assert weekend.french.days == [saturday, date(2026, 12, 7), date(2026, 12, 8)]
    assert weekend.trade.days == [date(2026, 12, 9), date(2026, 12, 10)]
    assert CohortCalendar.from_formation(saturday, 1, 1).french.days == [saturday]


def test_an_attendance_sheet_is_the_french_csv_a_provider_exports() -> None:
    sheet = attendance_csv([date(2026, 12, 2), date(2026, 12, 3)], {"p1": ["present", "unexcused"], "p2": ["present"]})
    assert sheet.decode().splitlines() == [
        "beneficiaire;date;statut;heures",
        "p1;02/12/2026;present;6",
        "p2;02/12/2026;present;6",
        "p1;03/12/2026;unexcused;0",
    ]


def test_a_write_has_the_same_key_in_every_run_of_the_same_seed_and_another_otherwise() -> None:
    assert idempotency_key("seed-1", "register", {"a": 1}) == idempotency_key("seed-1", "register", {"a": 1})
    assert idempotency_key("seed-1", "register", {"a": 1}) != idempotency_key("seed-2", "register", {"a": 1})
    assert 1 <= len(idempotency_key("x" * 500)) <= 160


def test_fates_follow_the_published_rates() -> None:
    figures = ProgrammeFigures()
    rng = random.Random(2017)
    fates = [draw_fate(rng, figures) for _ in range(20_000)]
    staying = [f for f in fates if f.withdraws is None]

    def share(count: int, of: int) -> Decimal:
        return Decimal(count) / of

    assert abs(share(len(fates) - len(staying), len(fates)) - Decimal("0.04")) < Decimal("0.01")
    assert abs(share(sum(f.french_level != "A2" for f in staying), len(staying)) - Decimal("0.75")) < Decimal("0.02")
    assert abs(share(sum(f.qualified for f in staying), len(staying)) - Decimal("0.82")) < Decimal("0.02")
    assert abs(share(sum(f.employed_at_exit for f in staying), len(staying)) - Decimal("0.70")) < Decimal("0.02")
    assert [draw_fate(random.Random(5), figures) for _ in range(3)] == [draw_fate(random.Random(5), figures)] * 3


class FakeGateway:
    """Tokens on /oauth/token; the first answers of /api/x are the given statuses, then 201."""

    def __init__(self, statuses: list[int], retry_after: str | None = None) -> None:
        self.statuses = statuses
        self.retry_after = retry_after
        self.calls: list[httpx.Request] = []
        self.tokens = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.tokens += 1
            return httpx.Response(200, json={"access_token": f"t{self.tokens}", "expires_in": 900})
        self.calls.append(request)
        if self.statuses:
            status = self.statuses.pop(0)
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return httpx.Response(status, json={"type": f"urn:hope:problem:s{status}"}, headers=headers)
        return httpx.Response(201, json={"id": "made"})


async def post_through(gateway: FakeGateway) -> object:
    async with httpx.AsyncClient(base_url="http://gw", transport=httpx.MockTransport(gateway)) as http:
        client = PartnerClient(http, Credentials("id", "secret"), patience_s=30)
        return await client.post("/api/x", {"a": 1}, key="k-1")


async def test_an_overloaded_or_restarting_gateway_is_tried_again_with_the_same_key() -> None:
    gateway = FakeGateway([503, 429, 502])
    assert await post_through(gateway) == {"id": "made"}
    assert [call.headers["Idempotency-Key"] for call in gateway.calls] == ["k-1"] * 4


async def test_retry_after_is_how_long_the_client_waits() -> None:
    gateway = FakeGateway([429], retry_after="0")
    assert await post_through(gateway) == {"id": "made"}
    assert len(gateway.calls) == 2


async def test_an_expired_token_is_renewed_once() -> None:
    gateway = FakeGateway([401])
    assert await post_through(gateway) == {"id": "made"}
    assert gateway.tokens == 2
    assert gateway.calls[-1].headers["Authorization"] == "Bearer t2"


async def test_a_refusal_is_raised_with_its_problem_and_not_tried_again() -> None:
    gateway = FakeGateway([422])
    with pytest.raises(Refused) as refused:
        await post_through(gateway)
    assert refused.value.status == 422
    assert refused.value.problem["type"] == "urn:hope:problem:s422"
    assert len(gateway.calls) == 1


class FakeAdmin:
    """The gateway's admin API, as far as the partner registry uses it: organisations and their clients."""

    def __init__(self) -> None:
        self.organisations: list[dict[str, Any]] = []
        self.clients: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        self.calls.append((method, path))
        body = json.loads(request.content) if request.content else {}
        if path == "/admin/v1/organisations":
            if method == "GET":
                return httpx.Response(200, json={"items": self.organisations, "next_cursor": None})
            self.organisations.append({**body, "id": f"org-{len(self.organisations)}"})
            return httpx.Response(201, json=self.organisations[-1])
        if path.endswith("/clients"):
            org_id = path.split("/")[4]
            if method == "GET":
                return httpx.Response(200, json={"items": [c for c in self.clients.values() if c["org_id"] == org_id]})
            client_id = f"client-{len(self.clients)}"
            self.clients[client_id] = {**body, "org_id": org_id, "client_id": client_id, "revoked_at": None}
            return httpx.Response(201, json={**self.clients[client_id], "client_secret": "s"})
        client_id = path.split("/")[4]
        if method == "PATCH":
            self.clients[client_id].update(body)
            return httpx.Response(200, json=self.clients[client_id])
        return httpx.Response(200, json={**self.clients[client_id], "client_secret": "rotated"})


async def enrol(admin: FakeAdmin, spec: partners.PartnerSpec) -> partners.Partner:
    async with httpx.AsyncClient(base_url="http://gw", transport=httpx.MockTransport(admin)) as http:
        registry = partners.PartnerRegistry(http, PartnerClient(http, Credentials("admin", "secret")))
        return await registry.enrol(spec)


async def test_a_support_provider_gets_a_work_client_reading_its_risks_and_a_figures_client() -> None:
    admin = FakeAdmin()
    partner = await enrol(admin, partners.support_provider("ETTI Tremplin"))

    made = {c["name"]: (c["roles"], c["scopes"]) for c in admin.clients.values()}
    assert made["reporting"] == (["reporting"], ["reporting:read"])
    assert "reporting:read" in made["support case management"][1]
    assert partner.figures is not None
    assert partner.figures.credentials.client_id != partner.client.credentials.client_id
    assert (await enrol(admin, partners.immigration_office())).figures is None
    assert len(admin.clients) == 3


async def test_a_second_run_finds_its_clients_and_brings_an_older_ones_scopes_up_to_date() -> None:
    admin = FakeAdmin()
    older = partners.support_provider("ETTI Tremplin")
    await enrol(
        admin, partners.PartnerSpec(older.name, older.org_kind, older.client_name, ("writer",), ("support:read",))
    )
    admin.calls.clear()

    again = await enrol(admin, older)

    assert len(admin.clients) == 2  # the work client found again, the figures client added
    work = next(c for c in admin.clients.values() if c["name"] == older.client_name)
    assert sorted(work["scopes"]) == sorted(older.scopes)
    assert ("PATCH", f"/admin/v1/clients/{work['client_id']}") in admin.calls
    assert again.client.credentials.client_secret == "rotated"
    assert not any(method == "POST" and path == "/admin/v1/organisations" for method, path in admin.calls)


def test_the_run_ends_with_who_reads_the_figures_and_no_secret() -> None:
    tally = Tally(
        figure_readers=[("AKTO", "programme_operator", "hope_akto_1"), ("ETTI", "support_provider", "hope_e")]
    )
    console = Console(record=True, width=160)
    console.print(figure_readers(tally))
    shown = console.export_text()
    assert "hope_akto_1" in shown
    assert "support_provider" in shown
    assert "secret" not in shown.replace("rotate-secret", "").replace("a secret:", "")
