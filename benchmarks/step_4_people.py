"""People taken to step 4 through the platform's own APIs, for the outcome-to-completion section.

The operator's admin client (the gateway's first admin) registers an immigration office, a training provider
and a support provider in the gateway, whose events teach enrolment its partners. Then, per person: the office
registers them and validates step 1; the operator chooses the sector, forms cohorts of COHORT_SIZE whose step 4
has started, adds them, starts step 3 and, with an admin's waiver of step 3's hours (training does not run
here), step 4. Training's `qualification.awarded` is published on its topic as training would, so that
enrolment and employment both hold the qualification before any outcome is sent.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from benchmarks.gateway_overhead import _token
from hope_contracts import training
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import kafka_record

COHORT_SIZE = 12
CONCURRENCY = 8
SCOPES = ["enrolment:read", "enrolment:write", "employment:read", "employment:write"]


@dataclass(frozen=True)
class Tokens:
    operator: dict[str, str]
    office: dict[str, str]
    support: dict[str, str]
    training_org: str
    support_org: str


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def partners(http: httpx.AsyncClient, gateway: str, admin_token: str) -> Tokens:
    """An office, a training provider and a support provider, each with a writer client; the admin operates."""
    admin = _bearer(admin_token)
    made: dict[OrgKind, tuple[str, dict[str, str]]] = {}
    for kind in (OrgKind.IMMIGRATION_OFFICE, OrgKind.TRAINING_PROVIDER, OrgKind.SUPPORT_PROVIDER):
        org = await http.post(
            f"{gateway}/admin/v1/organisations",
            json={"name": f"bench-{kind.value}-{uuid.uuid4().hex[:6]}", "org_kind": kind.value},
            headers=admin,
        )
        org.raise_for_status()
        client = await http.post(
            f"{gateway}/admin/v1/organisations/{org.json()['id']}/clients",
            json={"name": "bench", "roles": [Role.WRITER.value], "scopes": SCOPES},
            headers=admin,
        )
        client.raise_for_status()
        issued = await _token(http, gateway, client.json()["client_id"], client.json()["client_secret"])
        made[kind] = (org.json()["id"], _bearer(issued))
    return Tokens(
        operator=admin,
        office=made[OrgKind.IMMIGRATION_OFFICE][1],
        support=made[OrgKind.SUPPORT_PROVIDER][1],
        training_org=made[OrgKind.TRAINING_PROVIDER][0],
        support_org=made[OrgKind.SUPPORT_PROVIDER][0],
    )


def _ok(answer: httpx.Response, what: str) -> dict[str, Any]:
    if answer.status_code >= 300:
        raise RuntimeError(f"{what}: {answer.status_code} {answer.text[:300]}")
    body: dict[str, Any] = answer.json()
    return body


async def _cohort(http: httpx.AsyncClient, enrolment: str, tokens: Tokens, today: date) -> str:
    """Enrolment learns the providers from the gateway's events: the cohort is refused (422) until it has."""
    body = {
        "name": f"Bench {uuid.uuid4().hex[:6]}",
        "sector_code": "logistics",
        "region": "28",
        "training_provider_org_id": tokens.training_org,
        "support_provider_org_id": tokens.support_org,
        "capacity": COHORT_SIZE,
        "french_qualification_starts_on": (today - timedelta(days=120)).isoformat(),
        "trade_qualification_starts_on": (today - timedelta(days=1)).isoformat(),
    }
    for _ in range(300):
        answer = await http.post(f"{enrolment}/v1/cohorts", json=body, headers=tokens.operator)
        if answer.status_code != 422:
            return str(_ok(answer, "cohort")["id"])
        await asyncio.sleep(0.1)
    raise RuntimeError(f"enrolment never learnt the bench's providers: {answer.text[:300]}")


async def _person(http: httpx.AsyncClient, enrolment: str, tokens: Tokens, cohort: str, n: int) -> str:
    registered = await http.post(
        f"{enrolment}/v1/beneficiaries",
        json={
            "given_name": "Bench",
            "family_name": f"Person-{uuid.uuid4().hex[:10]}",
            "birth_date": "1994-03-12",
            "nationality": "SYR",
            "protection_status": "refugee",
            "track": "group",
            "ofii_number": f"{8_000_000_000 + n:010d}",
        },
        headers=tokens.office,
    )
    person = str(_ok(registered, "registration")["id"])
    path = f"{enrolment}/v1/beneficiaries/{person}/pathway"
    step_1 = {
        "ofii_hours": "320.00",
        "attestation": {"attested_on": "2026-06-01", "test": "DILF", "evidence_reference": f"DILF-{n}"},
    }
    _ok(await http.post(f"{path}/prerequisites", json=step_1, headers=tokens.office), "prerequisites")
    _ok(await http.put(f"{path}/sector", json={"sector_code": "logistics"}, headers=tokens.operator), "sector")
    member = {"beneficiary_id": person}
    _ok(await http.post(f"{enrolment}/v1/cohorts/{cohort}/members", json=member, headers=tokens.operator), "member")
    step_3 = {"action": "start_french_qualification"}
    _ok(await http.post(f"{path}/transitions", json=step_3, headers=tokens.operator), "step 3")
    step_4 = {"action": "start_trade_qualification", "hours_waiver_reason": "benchmark: no training service"}
    _ok(await http.post(f"{path}/transitions", json=step_4, headers=tokens.operator), "step 4")
    return person


async def people_in_step_4(http: httpx.AsyncClient, enrolment: str, tokens: Tokens, count: int) -> list[str]:
    today = datetime.now(UTC).date()
    cohorts = [await _cohort(http, enrolment, tokens, today) for _ in range(-(-count // COHORT_SIZE))]
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(n: int) -> str:
        async with gate:
            return await _person(http, enrolment, tokens, cohorts[n // COHORT_SIZE], n)

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def publish_qualifications(bootstrap: str, people: list[str]) -> None:
    """Training's `qualification.awarded` for each person, as training's relay would send it."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        now = datetime.now(UTC)
        for person in people:
            awarded = training.QualificationAwarded(
                qualification_id=uuid.uuid4(),
                beneficiary_id=uuid.UUID(person),
                rncp_code="RNCP38466",
                result="awarded",
                awarded_on=now.date(),
                occurred_at=now,
            )
            key, value, headers = kafka_record(awarded, time=now)
            await producer.send(awarded.topic(), value=value, key=key, headers=headers)
        await producer.flush()
    finally:
        await producer.stop()


async def wait_until_employment_knows(
    http: httpx.AsyncClient, employment: str, tokens: Tokens, people: list[str]
) -> None:
    """Every person in step 4 with the qualification in, as employment's pending-outcomes list shows it."""
    wanted = set(people)
    for _ in range(600):
        ready: set[str] = set()
        cursor: str | None = None
        while True:
            params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
            listed = await http.get(f"{employment}/v1/outcomes/pending", params=params, headers=tokens.support)
            page = _ok(listed, "pending")
            ready |= {p["beneficiary_id"] for p in page["items"] if p["step"] == 4 and p["qualification_result_in"]}
            cursor = page["next_cursor"]
            if cursor is None:
                break
        if wanted <= ready:
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"employment knows {len(wanted & ready)} of {len(wanted)} people in step 4")
