"""The dashboard's platform: the gateway in front of a real reporting service (real PostgreSQL, hand-made facts
written into its read models, the same that reporting's own tests use), support down, and one stand-in for
enrolment, training, funding and employment that answers each caller from the organisation in its token, as those
services scope their answers (their own tests hold them to it). Three people: a programme operator admin (with
a second factor), and the coordinators of two training providers, each training one cohort of its own."""

from __future__ import annotations

import base64
import contextlib
import json
import random
import types
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from services.reporting.tests.integration.hand_made_facts import Cohort, people_of, write
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.types import Receive, Scope, Send

from employment_service.domain.vocabulary import VacancyStatus
from gateway_service.cli import create_first_admin
from gateway_service.domain.scopes import vocabulary
from gateway_service.main import create_app as create_gateway
from hope_contracts.vocabulary import OrgKind
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from reporting_service.main import create_app as create_reporting
from reporting_service.settings import ReportingSettings

from .conftest import (
    GATEWAY,
    GATEWAY_ROOT,
    Credentials,
    fresh_database,
    gateway_settings,
    port_of,
    reserve_port,
    serve,
    upstream_settings,
)
from .people import Browser

REPORTING_ROOT = GATEWAY_ROOT.parent / "services" / "reporting"
# Screenshots and load times the dashboard's tests keep (var/ is not committed).
ARTEFACTS = GATEWAY_ROOT.parent / "var" / "test-artefacts" / "dashboard"
STAND_IN = ("enrolment", "training", "funding", "employment")
# support's address is a port where nothing listens: the pages that ask it show "service unavailable".
DOWN = "support"
FORMULA_REFERENCE = '=HYPERLINK("https://attacker.example","CONV")'


@dataclass
class Person:
    email: str
    org_id: uuid.UUID
    invitation_url: str


@dataclass
class DashboardPlatform:
    gateway_url: str
    reporting_url: str
    http: httpx.AsyncClient
    admin: Credentials
    operator: Person
    provider_a: Person
    provider_b: Person
    cohort_a: uuid.UUID
    cohort_b: uuid.UUID
    funder: uuid.UUID
    # Set once the gateway runs: its database holds the audit log.
    gateway_app: Any = None

    async def admin_headers(self) -> dict[str, str]:
        response = await self.http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.admin.client_id,
                "client_secret": self.admin.client_secret,
            },
        )
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _claims(scope: Scope) -> dict[str, Any]:
    """The caller's token's claims, unverified: the stand-in only needs to know whose call it is."""
    authorization = dict(scope["headers"]).get(b"authorization", b"").decode()
    payload = authorization.removeprefix("Bearer ").split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


class StandIn:
    """enrolment, training, support, funding and employment as one caller sees them."""

    def __init__(self, cohorts: dict[uuid.UUID, uuid.UUID], funder: uuid.UUID) -> None:
        # cohort id -> its training provider's organisation
        self.cohorts = cohorts
        self.funder = funder
        self.members = {cohort: [str(uuid.uuid4()) for _ in range(3)] for cohort in cohorts}
        self.agreement = str(uuid.uuid4())
        # A reference typed by hand that a spreadsheet would run as a formula: downloads must show it as text.
        self.typed_agreement = str(uuid.uuid4())

    def visible(self, claims: dict[str, Any]) -> list[uuid.UUID]:
        if claims["org_kind"] == OrgKind.PROGRAMME_OPERATOR.value:
            return list(self.cohorts)
        return [c for c, provider in self.cohorts.items() if str(provider) == claims["org_id"]]

    def cohort(self, cohort_id: uuid.UUID, index: int) -> dict[str, Any]:
        return {
            "id": str(cohort_id),
            "name": f"Cohorte logistique {index + 1}",
            "sector_code": "logistics",
            "region": "84",
            "track": "group",
            "training_provider_org_id": str(self.cohorts[cohort_id]),
            "support_provider_org_id": str(uuid.uuid4()),
            "capacity": 12,
            "places_left": 9,
            "member_count": 3,
            "french_qualification_starts_on": "2026-01-05",
            "french_qualification_ends_on": "2026-04-30",
            "trade_qualification_starts_on": None,
            "trade_qualification_ends_on": None,
        }

    def answer(self, path: str, claims: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        visible = self.visible(claims)
        operator = claims["org_kind"] == OrgKind.PROGRAMME_OPERATOR.value
        ids = list(self.cohorts)
        if path == "/v1/cohorts":
            return 200, {"items": [self.cohort(c, ids.index(c)) for c in visible], "next_cursor": None}
        for cohort in ids:
            if path.startswith(f"/v1/cohorts/{cohort}") or path == f"/v1/money/cohorts/{cohort}":
                if cohort not in visible:
                    return 404, {"title": "Not Found"}
                if path.endswith("/ledger"):
                    return 200, self._ledger(cohort)
                if path.startswith("/v1/money/"):
                    return 200, money_view("4000.00", "1250.50", "1000.00", "800.25")
                return 200, self.cohort(cohort, ids.index(cohort))
        simple: dict[str, tuple[int, Any]] = {
            "/v1/alerts": (200, {"items": [], "next_cursor": None}),
            "/v1/funders": (200, {"items": [{"id": str(self.funder), "name": "Région Auvergne-Rhône-Alpes"}]}),
            "/v1/agreements": (
                200,
                {
                    "items": [
                        {"id": self.agreement, "funder_id": str(self.funder), "reference": "CONV-2026-01"},
                        {"id": self.typed_agreement, "funder_id": str(self.funder), "reference": FORMULA_REFERENCE},
                    ]
                }
                if operator
                else {"items": []},
            ),
            f"/v1/money/agreements/{self.agreement}": (200, money_view("48000.00", "15006.00", "12000.00", "9603.00")),
            f"/v1/money/agreements/{self.typed_agreement}": (200, money_view("1500.00", "250.75", "0.00", "0.00")),
            "/v1/demand": (
                200,
                [
                    {"sector_code": "logistics", "region_code": "84", "pledged_places": 24, "open_positions": 7},
                    {"sector_code": "care", "region_code": "11", "pledged_places": 12, "open_positions": 3},
                ],
            ),
            "/v1/vacancies": (200, {"items": [], "next_cursor": None}),
            "/v1/follow-ups/summary": (
                200,
                [{"months_after_exit": 3, "status": "due", "count": 5, "overdue": 2}] if operator else [],
            ),
            "/v1/follow-ups": (200, {"items": [], "next_cursor": None}),
        }
        return simple.get(path, (404, {"title": "Not Found"}))

    def _ledger(self, cohort: uuid.UUID) -> dict[str, Any]:
        hours = {
            "planned": "210.00",
            "scheduled": "70.00",
            "attended": "63.50",
            "excused": "3.00",
            "unexcused": "3.50",
            "remaining": "146.50",
            "completion_rate": "0.3024",
            "attendance_rate": "0.9071",
        }
        course = str(uuid.uuid4())
        people = [
            {"beneficiary_id": m, "course_id": course, "step": 3, "hours": hours, "french_support": None}
            for m in self.members[cohort]
        ]
        return {
            "cohort_id": str(cohort),
            "courses": [{"course_id": course, "step": 3, "total": hours, "people": people}],
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        query = dict(parse_qsl(scope["query_string"].decode()))
        status, body = self.answer(scope["path"], _claims(scope), query)
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})


def money_view(committed: str, consumed: str, claimed: str, paid: str) -> dict[str, Any]:
    zero = "0.00"
    return {
        "committed": committed,
        "consumed": consumed,
        "claimed": claimed,
        "approved": claimed,
        "paid": paid,
        "released": zero,
        "disallowed": zero,
        "available": None,
    }


# The other services' lists at national scale, as the operator pages through them (assumed sizes, with the
# reporting data set's 2,000 cohorts and 8 funders: one agreement per funder a year over ten years; two vacancies
# a cohort; a thousand follow-ups overdue).
AGREEMENTS_PER_FUNDER = 10
VACANCIES_PER_COHORT = 2
OVERDUE_FOLLOW_UPS = 1_000
COURSES_PER_COHORT = 2
ALERTS_PER_COURSE = 3


def paged(items: list[Any], query: dict[str, str]) -> tuple[int, Any]:
    """A page of a list as the services give it: ``limit`` up to hopekit's bound, an opaque ``cursor``."""
    limit = int(query.get("limit", DEFAULT_LIMIT))
    if not 1 <= limit <= MAX_LIMIT:
        return 422, {"title": "limit out of range"}
    cursor = query.get("cursor") or "0"
    if not cursor.isdigit():
        return 400, {"type": "invalid-cursor", "title": "Not a cursor this list gave out"}
    start = int(cursor)
    more = start + limit < len(items)
    return 200, {"items": items[start : start + limit], "next_cursor": str(start + limit) if more else None}


# A cohort of the long list: its id, region, sector and training provider.
Listed = tuple[uuid.UUID, str, str, uuid.UUID]


class LongLists(StandIn):
    """enrolment, training, funding and employment holding ``listed`` cohorts and the lists that go with them,
    paged as the services page them, for the programme operator (who sees all of them; anyone else gets the
    plain stand-in's answers)."""

    def __init__(self, listed: list[Listed], cohorts: dict[uuid.UUID, uuid.UUID], funder: uuid.UUID) -> None:
        super().__init__(cohorts, funder)
        self.all = {
            str(cohort_id): {
                **self.cohort(next(iter(cohorts)), 0),
                "id": str(cohort_id),
                "name": f"Cohorte {index + 1}",
                "sector_code": sector,
                "region": region,
                "training_provider_org_id": str(provider),
            }
            for index, (cohort_id, region, sector, provider) in enumerate(listed)
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
                "status": chance.choice(list(VacancyStatus)).value,
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
        if claims["org_kind"] != OrgKind.PROGRAMME_OPERATOR.value:
            return super().answer(path, claims, query)
        parts = path.strip("/").split("/")
        if path == "/v1/cohorts":
            return paged(self.cohort_list, query)
        if parts[:2] == ["v1", "cohorts"] and parts[2] in self.all:
            if parts[3:] == ["ledger"]:
                return 200, self._long_ledger(parts[2])
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
                for s in sorted({c["sector_code"] for c in self.cohort_list})
                for r in sorted({c["region"] for c in self.cohort_list})
            ]
        if path == "/v1/follow-ups/summary":
            return 200, [
                {"months_after_exit": m, "status": s, "count": 400, "overdue": 111 if s == "due" else 0}
                for m in (3, 6, 12)
                for s in ("due", "done", "unreachable")
            ]
        return super().answer(path, claims, query)

    def _long_ledger(self, cohort: str) -> dict[str, Any]:
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


def server_timing(header: str) -> dict[str, tuple[float, str]]:
    """A page's Server-Timing (api.dashboard.timing): each metric's duration in ms and its description."""
    found = {}
    for metric in header.split(", "):
        name, *params = metric.split(";")
        values = dict(param.split("=", 1) for param in params)
        found[name] = (float(values.get("dur", 0)), values.get("desc", "").strip('"'))
    return found


def upstream_calls(timing: dict[str, tuple[float, str]]) -> tuple[int, int]:
    """How many calls the page made to the services, and the most of them made one after another."""
    calls, _, row = timing["upstream"][1].partition(" calls / ")
    return int(calls), int(row.split()[0])


async def signed_in(platform: DashboardPlatform, person: Person) -> Browser:
    """The person accepts their invitation and signs in, with a second factor when their role needs one."""
    browser = Browser(platform.http)
    assert (await browser.accept(person.invitation_url)).status_code == 303
    signed = await browser.sign_in(person.email)
    assert signed.status_code == 303, signed.text
    if signed.headers["location"] == "/second-factor/setup":
        assert (await browser.set_up_second_factor()).headers["location"] == "/dashboard"
    return browser


async def _invite(http: httpx.AsyncClient, headers: dict[str, str], org_id: uuid.UUID, role: str) -> Person:
    email = f"person-{uuid.uuid4().hex[:10]}@partner.example"
    response = await http.post(
        f"/admin/v1/organisations/{org_id}/people",
        json={
            "email": email,
            "display_name": "Camille Martin",
            "roles": [role],
            "scopes": sorted(vocabulary([*STAND_IN, DOWN, "reporting"])),
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return Person(email, org_id, response.json()["invitation_url"])


# Writes reporting's facts for the two providers' organisations: the ids of cohort A (provider A) and B.
WriteFacts = Callable[[str, list[uuid.UUID], uuid.UUID], Awaitable[tuple[uuid.UUID, uuid.UUID]]]
# The stand-in for the other services, from the cohorts (id -> training provider) and the funder.
StandInOf = Callable[[dict[uuid.UUID, uuid.UUID], uuid.UUID], StandIn]


async def hand_made_facts(reporting_db: str, orgs: list[uuid.UUID], funder: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """Reporting's own tests' hand-made people: a cohort for each provider, and a third of three people, in a
    region of its own: small numbers that reporting suppresses."""
    cohort_a = Cohort("84", trainer=orgs[0])
    cohort_b = Cohort("11", trainer=orgs[1])
    cohort_c = Cohort("93")
    chance = random.Random(18)
    people = (
        people_of(cohort_a, 40, funder, chance)
        + people_of(cohort_b, 25, funder, chance)
        + people_of(cohort_c, 3, funder, chance)
    )
    engine = create_async_engine(reporting_db)
    await write(types.SimpleNamespace(engine=engine), [cohort_a, cohort_b, cohort_c], people)  # type: ignore[arg-type]
    await engine.dispose()
    return cohort_a.cohort_id, cohort_b.cohort_id


@contextlib.asynccontextmanager
async def dashboard_platform(
    postgres_admin_url: str, kafka_bootstrap: str, write_facts: WriteFacts, stand_in_of: StandInOf = StandIn
) -> AsyncIterator[DashboardPlatform]:
    sockets = [reserve_port() for _ in range(4)]  # the dead one stays bound and never listens: nothing answers
    gateway_port, reporting_port, stand_in_port, dead_port = map(port_of, sockets)
    gateway_socket, reporting_socket, stand_in_socket, _dead = sockets
    async with (
        fresh_database(postgres_admin_url, GATEWAY_ROOT) as gateway_db,
        fresh_database(postgres_admin_url, REPORTING_ROOT) as reporting_db,
    ):
        stand_in_url = f"http://127.0.0.1:{stand_in_port}"
        upstreams = {
            "reporting": f"http://127.0.0.1:{reporting_port}",
            DOWN: f"http://127.0.0.1:{dead_port}",
            **dict.fromkeys(STAND_IN, stand_in_url),
        }
        settings = gateway_settings(
            gateway_db, kafka_bootstrap, gateway_port, upstreams, sign_in_attempts_per_address=100_000
        )
        gateway_app = create_gateway(settings)
        reporting_app = create_reporting(
            upstream_settings(ReportingSettings, reporting_db, kafka_bootstrap, gateway_port)
        )
        async with serve(gateway_app, gateway_socket, GATEWAY.http_protocol or "auto"):
            issued = await create_first_admin(
                gateway_app.state.uow_factory, "AKTO", "bootstrap-admin", vocabulary(settings.upstreams)
            )
            admin = Credentials(issued.client.client_id, issued.secret, issued.client.org_id)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=30) as http:
                platform = DashboardPlatform(
                    f"http://127.0.0.1:{gateway_port}",
                    f"http://127.0.0.1:{reporting_port}",
                    http,
                    admin,
                    *[Person("", admin.org_id, "")] * 3,
                    uuid.uuid4(),
                    uuid.uuid4(),
                    uuid.uuid4(),
                )
                headers = await platform.admin_headers()
                orgs = []
                for name in ("Organisme de formation A", "Organisme de formation B"):
                    created = await http.post(
                        "/admin/v1/organisations",
                        json={"name": name, "org_kind": OrgKind.TRAINING_PROVIDER.value},
                        headers=headers,
                    )
                    assert created.status_code == 201, created.text
                    orgs.append(uuid.UUID(created.json()["id"]))
                platform.operator = await _invite(http, headers, admin.org_id, "admin")
                platform.provider_a = await _invite(http, headers, orgs[0], "reader")
                platform.provider_b = await _invite(http, headers, orgs[1], "reader")
                platform.gateway_app = gateway_app
                platform.cohort_a, platform.cohort_b = await write_facts(reporting_db, orgs, platform.funder)
                stand_in = stand_in_of({platform.cohort_a: orgs[0], platform.cohort_b: orgs[1]}, platform.funder)
                async with serve(reporting_app, reporting_socket), serve(stand_in, stand_in_socket):
                    yield platform


@pytest.fixture(scope="module")
async def dashboard(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[DashboardPlatform]:
    async with dashboard_platform(postgres_admin_url, kafka_bootstrap, hand_made_facts) as platform:
        yield platform


def signed_in_fixture(who: str) -> Any:
    """A module's fixture: the platform's person ``who`` (``operator``, ``provider_a``...), signed in once for the
    module: ``operator = signed_in_fixture("operator")``."""

    @pytest.fixture(scope="module")
    async def person(dashboard: DashboardPlatform) -> Browser:
        return await signed_in(dashboard, getattr(dashboard, who))

    return person
