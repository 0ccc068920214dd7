"""Funding's events in the read models: agreements, each person's money per agreement (committed, released,
consumed, claimed, approved, paid: each movement counted once) and claims with their status and payment.
Consumed is the training hours attended (``consumption.recorded``) and the support costs (``support_cost.recorded``:
housing nights, meals, support person-months) posted to the funders' lines."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from hope_contracts import funding
from reporting_service.adapters.facts import MoneyPart, VersionFacts
from reporting_service.adapters.tables import fact_agreements, fact_claims
from reporting_service.domain.facts import MoneyKind, share_payment
from reporting_service.service_layer.ingest import into_read_models


@into_read_models
async def agreement_signed(facts: VersionFacts, event: funding.AgreementSigned) -> None:
    values = {
        "funder_id": event.funder_id,
        "funder_kind": event.funder_kind,
        "period_start": event.period_start,
        "period_end": event.period_end,
        "signed_on": event.signed_on,
        "total_amount": event.total_amount,
    }
    await facts.set_fields(fact_agreements, {"agreement_id": event.agreement_id}, values)
    if event.funder_organisation_id is not None:
        # Which organisation this funder is: what scopes that organisation's readers to its agreements.
        await facts.link_funder(event.funder_id, event.funder_organisation_id, event.occurred_at)


async def _parts(
    facts: VersionFacts,
    kind: MoneyKind,
    movement_id: UUID,
    person: UUID,
    parts: tuple[funding.FunderPart, ...],
    at: datetime,
) -> None:
    await facts.move_money(
        kind,
        movement_id,
        [MoneyPart(person, part.budget_line_id, part.agreement_id, part.funder_id, part.amount) for part in parts],
        at,
    )


@into_read_models
async def commitment_made(facts: VersionFacts, event: funding.CommitmentMade) -> None:
    await _parts(facts, "committed", event.commitment_id, event.beneficiary_id, event.parts, event.occurred_at)


@into_read_models
async def commitment_released(facts: VersionFacts, event: funding.CommitmentReleased) -> None:
    await _parts(facts, "released", event.release_id, event.beneficiary_id, event.parts, event.occurred_at)


@into_read_models
async def consumption_recorded(facts: VersionFacts, event: funding.ConsumptionRecorded) -> None:
    erased = await facts.erased_among(entry.beneficiary_id for entry in event.entries)
    parts = [
        MoneyPart(
            entry.beneficiary_id,
            entry.budget_line_id,
            entry.agreement_id,
            entry.funder_id,
            entry.amount,
            entry.from_commitment,
        )
        for entry in event.entries
        if entry.beneficiary_id not in erased
    ]
    await facts.move_money("consumed", event.source_event_id, parts, event.occurred_at)


@into_read_models
async def support_cost_recorded(facts: VersionFacts, event: funding.SupportCostRecorded) -> None:
    """What one support event (a placement, a month of meals, a support file) changed on the lines that pay it:
    consumed money like training hours, keyed by that support event so it counts once however often it arrives.
    A movement is one person's part on one line: the line's months are added up first (each entry's month only
    says where a claim takes it), and so are their parts drawn from the commitment, unless one of them does not
    say (an older publisher: the line is then replayed)."""
    amounts: dict[tuple[UUID, UUID, UUID], Decimal] = {}
    drawn: dict[tuple[UUID, UUID, UUID], Decimal | None] = {}
    for entry in event.entries:
        line = (entry.budget_line_id, entry.agreement_id, entry.funder_id)
        amounts[line] = amounts.get(line, Decimal(0)) + entry.amount
        before = drawn.get(line, Decimal(0))
        said = entry.from_commitment
        drawn[line] = None if before is None or said is None else before + said
    # A line is (budget line, agreement, funder): the order of a part's fields after the person.
    parts = [MoneyPart(event.beneficiary_id, *line, amount, drawn[line]) for line, amount in amounts.items()]
    await facts.move_money("consumed", event.source_event_id, parts, event.occurred_at)


async def _claim_fields(facts: VersionFacts, event: Any, status: str, values: dict[str, Any]) -> None:
    """The event's own fields of the claim always; its status when this event is the latest of the claim's."""
    key = {"claim_id": event.claim_id}
    state = {"status": status, "status_at": event.occurred_at}
    ids = {"agreement_id": event.agreement_id, "funder_id": event.funder_id}
    await facts.set_fields(fact_claims, key, {**ids, **values}, on_creation=state)
    await facts.set_if_newer(fact_claims, key, {**ids, **state}, "status_at")


@into_read_models
async def claim_submitted(facts: VersionFacts, event: funding.ClaimSubmitted) -> None:
    values = {
        "submitted_on": event.submitted_on,
        "people_count": event.people_count,
        "claimed_amount": event.claimed_amount,
    }
    await _claim_fields(facts, event, "submitted", values)


@into_read_models
async def claim_approved(facts: VersionFacts, event: funding.ClaimApproved) -> None:
    values = {
        "claimed_amount": event.claimed_amount,
        "approved_amount": event.approved_amount,
        "decided_on": event.approved_on,
    }
    await _claim_fields(facts, event, "approved", values)
    erased = await facts.erased_among(line.beneficiary_id for line in event.lines)
    kept = [line for line in event.lines if line.beneficiary_id not in erased]
    ids = (event.agreement_id, event.funder_id)
    claimed = [MoneyPart(line.beneficiary_id, line.budget_line_id, *ids, line.claimed_amount) for line in kept]
    approved = [MoneyPart(line.beneficiary_id, line.budget_line_id, *ids, line.approved_amount) for line in kept]
    await facts.move_money("claimed", event.claim_id, claimed, event.occurred_at)
    await facts.move_money("approved", event.claim_id, approved, event.occurred_at)
    await _share_payment(facts, event.claim_id)


@into_read_models
async def claim_rejected(facts: VersionFacts, event: funding.ClaimRejected) -> None:
    values = {
        "claimed_amount": event.claimed_amount,
        "rejection_reason": event.reason_code,
        "decided_on": event.rejected_on,
    }
    await _claim_fields(facts, event, "rejected", values)


@into_read_models
async def payment_issued(facts: VersionFacts, event: funding.PaymentIssued) -> None:
    await _claim_fields(facts, event, "paid", {"paid_amount": event.amount, "paid_on": event.paid_on})
    await _share_payment(facts, event.claim_id)


async def _share_payment(facts: VersionFacts, claim_id: UUID) -> None:
    """Once both the approved lines and the payment are in (either order), the payment is shared among the
    claim's people, once."""
    claim = await facts.claim(claim_id)
    if claim is None or claim.paid_on is None:
        return
    lines = await facts.approved_lines(claim_id)
    paid_at = datetime.combine(claim.paid_on, time(), UTC)
    shares = share_payment(Decimal(claim.paid_amount), lines)
    parts = [
        MoneyPart(person, budget_line_id, claim.agreement_id, claim.funder_id, share)
        for (person, budget_line_id), share in shares.items()
    ]
    await facts.move_money("paid", claim_id, parts, paid_at)
