"""AKTO, the programme operator: funds the programme (funders, agreements, financing plans, claims), forms
cohorts by sector and region from employers' demand, and moves people into steps 3 and 4."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hope_infra.demo.gateway import PartnerClient, Refused, idempotency_key
from hope_infra.demo.partners import Partner
from hope_infra.demo.waiting import eventually, problem_is

ENROLMENT, FUNDING = "/api/enrolment/v1", "/api/funding/v1"
# Who pays what share of a cohort's training hours: the OPCO most, the State the rest.
FUNDERS = (
    ("AKTO-OPCO", "AKTO OPCO", "opco", Decimal("0.60")),
    ("ETAT-DIAIR", "État - DIAIR", "state", Decimal("0.40")),
)


@dataclass(frozen=True)
class Financing:
    """The agreements of the run and the training-hours line of each (in the order of FUNDERS)."""

    agreement_ids: tuple[str, ...]
    line_ids: tuple[str, ...]
    hourly_rate: Decimal
    period: tuple[date, date]


async def sign_agreements(
    akto: Partner, period: tuple[date, date], hours: Decimal, rate: Decimal, run: str
) -> Financing:
    """One agreement per funder for the period, with a training-hours line sized for the run, signed and active."""
    client, agreements, lines = akto.client, [], []
    known = {f["code"]: f for f in await client.items(f"{FUNDING}/funders")}
    for code, name, kind, share in FUNDERS:
        funder = known.get(code) or await client.post(
            f"{FUNDING}/funders", {"code": code, "name": name, "kind": kind}, key=idempotency_key(run, "funder", code)
        )
        reference = f"CONV-{code}-{period[0].year}-{run[-6:]}"
        agreement = await client.post(
            f"{FUNDING}/agreements",
            {
                "funder_id": funder["id"],
                "reference": reference,
                "period_start": period[0].isoformat(),
                "period_end": period[1].isoformat(),
            },
            key=idempotency_key(run, "agreement", code),
        )
        agreement_id = str(agreement["id"])
        quantity = (hours * share).quantize(Decimal("1"))
        line = await client.post(
            f"{FUNDING}/agreements/{agreement_id}/lines",
            {
                "cost_type": "training_hours",
                "unit": "hour",
                "rate": str(rate),
                "quantity": str(quantity),
                "amount": str(quantity * rate),
            },
            key=idempotency_key(run, "line", code),
        )
        lines.append(str(line["id"]) if "id" in line else str(line["lines"][-1]["id"]))
        await client.act(
            f"{FUNDING}/agreements/{agreement_id}/sign",
            {"signed_on": period[0].isoformat()},
            key=idempotency_key(run, "sign", code),
        )
        await client.act(f"{FUNDING}/agreements/{agreement_id}/activate", key=idempotency_key(run, "activate", code))
        agreements.append(agreement_id)
    return Financing(tuple(agreements), tuple(lines), rate, period)


@dataclass(frozen=True)
class CohortPlan:
    name: str
    sector: str
    region: str
    training_provider: Partner
    support_provider: Partner
    capacity: int


async def form_cohort(akto: Partner, plan: CohortPlan, starts_on: date, run: str) -> str:
    body = {
        "name": plan.name,
        "sector_code": plan.sector,
        "region": plan.region,
        "track": "group",
        "training_provider_org_id": plan.training_provider.org_id,
        "support_provider_org_id": plan.support_provider.org_id,
        "capacity": plan.capacity,
        "french_qualification_starts_on": starts_on.isoformat(),
    }
    made = await akto.client.post(f"{ENROLMENT}/cohorts", body, key=idempotency_key(run, "cohort", plan.name))
    return str(made["id"])


async def add_member(akto: Partner, cohort_id: str, beneficiary_id: str, sector: str, run: str) -> None:
    sector_choice = f"{ENROLMENT}/beneficiaries/{beneficiary_id}/pathway/sector"
    await akto.client.act(sector_choice, {"sector_code": sector}, key=None, method="PUT")
    await akto.client.post(
        f"{ENROLMENT}/cohorts/{cohort_id}/members",
        {"beneficiary_id": beneficiary_id},
        key=idempotency_key(run, "member", cohort_id, beneficiary_id),
    )


async def finance_cohort(akto: Partner, financing: Financing, cohort_id: str, step: int, run: str) -> None:
    """The cohort's financing plan for a step's training hours: each funder's share, the first taking the cent."""
    shares = [
        {"budget_line_id": line, "share": str(share)}
        for line, (*_, share) in zip(financing.line_ids, FUNDERS, strict=True)
    ]
    body = {
        "cost_type": "training_hours",
        "unit_cost": str(financing.hourly_rate),
        "step": step,
        "cohort_id": cohort_id,
        "shares": shares,
        "remainder_line_id": financing.line_ids[0],
    }

    async def plan() -> None:
        await akto.client.post(f"{FUNDING}/financing-plans", body, key=idempotency_key(run, "plan", cohort_id, step))

    # Funding learns the cohort from enrolment's events.
    await eventually(
        plan,
        what=f"funding knows cohort {cohort_id}",
        pending=problem_is("validation", "not-found", "cohort-not-found"),
    )


async def transition(client: PartnerClient, beneficiary_id: str, action: str, run: str, **reason: str) -> None:
    await client.act(
        f"{ENROLMENT}/beneficiaries/{beneficiary_id}/pathway/transitions",
        {"action": action, **reason},
        key=idempotency_key(run, action, beneficiary_id),
    )


async def claim(akto: Partner, agreement_id: str, period: tuple[date, date], today: date, run: str) -> str | None:
    """What the agreement's lines consumed and nobody claimed yet, claimed, approved whole and paid; None when
    nothing is left to claim. A replayed run finds the claim where it stands and takes it on from there."""
    client = akto.client
    body = {"agreement_id": agreement_id, "period_start": period[0].isoformat(), "period_end": period[1].isoformat()}
    try:
        made = await client.post(f"{FUNDING}/claims", body, key=idempotency_key(run, "claim", agreement_id, today))
    except Refused as refused:
        if refused.status == 422 and "nothing consumed" in str(refused.problem):
            return None
        raise
    claim_id, on = str(made["id"]), {"on": today.isoformat()}
    path = f"{FUNDING}/claims/{claim_id}"
    status = (await client.get(path))["status"]
    if status == "draft":
        await client.act(f"{path}/submit", on, key=idempotency_key(run, "submit", claim_id))
        status = "submitted"
    if status == "submitted":
        await client.act(f"{path}/approve", on, key=idempotency_key(run, "approve", claim_id))
        status = "approved"
    if status == "approved":
        approved = (await client.get(path))["approved"]
        payment = {"on": today.isoformat(), "reference": f"VIR-{claim_id[:8].upper()}", "amount": approved}
        await client.act(f"{path}/payment", payment, key=idempotency_key(run, "pay", claim_id))
    return claim_id
