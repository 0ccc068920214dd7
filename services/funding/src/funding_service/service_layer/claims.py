"""Claims: built by the operator from what was consumed and not yet claimed, then submitted, returned,
approved (possibly for less) or rejected, paid and reconciled. Each step moves the money in the ledger and
publishes its event (amounts and ids only: a return's comment stays in the claim's history)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.claim import Claim, Unclaimed
from funding_service.domain.errors import NotFound
from funding_service.domain.ledger import AccountKey, Posting, Transaction, transfer
from funding_service.domain.vocabulary import Stage, TransactionKind
from funding_service.service_layer import access
from funding_service.service_layer.ledger_writes import post
from hope_contracts.funding import ClaimApproved, ClaimLineDecision, ClaimRejected, ClaimSubmitted, PaymentIssued
from hopekit.identity.principal import Principal

PersonLine = tuple[UUID, UUID]


async def build(uow: FundingUnitOfWork, principal: Principal, agreement_id: UUID, period: tuple[date, date]) -> Claim:
    access.ensure_operator_writer(principal)
    found = await uow.reference.agreement(agreement_id, lock=True)
    if found is None:
        raise NotFound("agreement", agreement_id)
    agreement = found[0]
    cost_types = {line.budget_line_id: line.cost_type for line in agreement.lines}
    # The draft takes its consumption rows at once (every row taken is in the claim), so a second claim cannot
    # claim them too; nothing to claim refuses the draft, and its transaction gives the rows back.
    rows = await uow.consumption.take_unclaimed(cost_types, *period)
    unclaimed = [
        Unclaimed(r.beneficiary_id, r.budget_line_id, cost_types[r.budget_line_id], r.held_on, r.amount) for r in rows
    ]
    claim = Claim.build(uuid4(), agreement_id, period, unclaimed, access.actor(principal), datetime.now(UTC))
    await uow.claims.add(claim)
    uow.audit(principal, "create", "claim", claim.claim_id)
    return claim


async def get(
    uow: FundingUnitOfWork, principal: Principal, claim_id: UUID, lock: bool = False, only_of: UUID | None = None
) -> Claim:
    claim = await uow.claims.get(claim_id, lock=lock, only_of=only_of)
    if claim is None:
        raise NotFound("claim", claim_id)
    funder_id = await uow.reference.funder_of(claim.agreement_id)
    assert funder_id is not None
    await access.ensure_sees_funder(uow, principal, funder_id, "claim")
    return claim


async def read(uow: FundingUnitOfWork, principal: Principal, claim_id: UUID) -> Claim:
    """A claim as a caller reads it: its lines name people, so the read is audited."""
    claim = await get(uow, principal, claim_id)
    uow.audit(principal, "read", "claim", claim_id)
    return claim


async def page(uow: FundingUnitOfWork, principal: Principal, after: UUID | None, limit: int) -> list[Claim]:
    scope = await access.funder_scope(uow, principal)
    agreement_ids = None
    if scope is not None:
        agreement_ids = set(await uow.reference.agreements_page(None, 10_000, scope))
    claims = []
    for claim_id in await uow.claims.page(after, limit, agreement_ids):
        claim = await uow.claims.get(claim_id)
        assert claim is not None
        claims.append(claim)
    return claims


def _accounts(claim: Claim, *stages: Stage) -> list[AccountKey]:
    return [
        AccountKey.person(line.budget_line_id, stage, line.beneficiary_id) for line in claim.lines for stage in stages
    ]


async def _funder(uow: FundingUnitOfWork, claim: Claim) -> UUID:
    found = await uow.reference.agreement(claim.agreement_id)
    assert found is not None
    return found[0].funder_id


async def act(
    uow: FundingUnitOfWork,
    principal: Principal,
    claim_id: UUID,
    action: str,
    on: date,
    comment: str | None = None,
    decisions: Mapping[PersonLine, tuple[Decimal, str | None]] | None = None,
    reason_code: str | None = None,
    payment: tuple[str, Decimal] | None = None,
) -> Claim:
    """One step of a claim's life; ``on`` is the date the step happened (the funder's decision date, say)."""
    access.ensure_operator_writer(principal)
    claim = await get(uow, principal, claim_id, lock=True)
    known = len(claim.history)
    who, now = access.actor(principal), datetime.now(UTC)
    funder_id = await _funder(uow, claim)
    common = {
        "claim_id": claim.claim_id,
        "agreement_id": claim.agreement_id,
        "funder_id": funder_id,
        "occurred_at": now,
    }
    if action == "submit":
        claim.submit(on, who, now)
        await post(
            uow,
            _accounts(claim, Stage.CONSUMED, Stage.CLAIMED),
            lambda _: movements.claim_submission(claim.claimed_by_line(), now, claim.claim_id),
        )
        uow.publish(
            ClaimSubmitted(
                **common,
                period_start=claim.period_start,
                period_end=claim.period_end,
                submitted_on=on,
                people_count=len({line.beneficiary_id for line in claim.lines}),
                claimed_amount=claim.claimed,
            )
        )
    elif action == "return":
        claim.return_for_changes(comment or "", on, who, now)
        # Back to consumed while the operator changes it; submitting again claims it again.
        await post(uow, _accounts(claim, Stage.CONSUMED, Stage.CLAIMED), lambda _: _unclaim(claim, now))
    elif action == "reopen":
        claim.reopen(on, who, now)
    elif action == "approve":
        claim.approve(decisions or {}, on, who, now)
        await _decide(uow, claim, now)
        uow.publish(
            ClaimApproved(
                **common,
                approved_on=on,
                claimed_amount=claim.claimed,
                approved_amount=claim.approved,
                lines=tuple(
                    ClaimLineDecision(
                        beneficiary_id=line.beneficiary_id,
                        budget_line_id=line.budget_line_id,
                        cost_type=line.cost_type.value,
                        claimed_amount=line.claimed,
                        approved_amount=line.approved or 0,
                        reason_code=line.reason_code,
                    )
                    for line in claim.lines
                ),
            )
        )
    elif action == "reject":
        claim.reject(reason_code or "", on, who, now)
        await _decide(uow, claim, now)
        uow.publish(ClaimRejected(**common, rejected_on=on, reason_code=reason_code, claimed_amount=claim.claimed))
    elif action == "pay":
        assert payment is not None
        settled = claim.pay(payment[0], on, payment[1], who, now)
        await post(
            uow,
            _accounts(claim, Stage.APPROVED, Stage.PAID),
            lambda _: movements.payment(settled, now, claim.claim_id),
        )
        uow.publish(PaymentIssued(**common, paid_on=on, amount=payment[1]))
    else:
        claim.reconcile(on, who, now)
    await uow.claims.save(claim, known)
    uow.audit(principal, action, "claim", claim.claim_id)
    return claim


async def _decide(uow: FundingUnitOfWork, claim: Claim, now: datetime) -> None:
    await post(
        uow,
        _accounts(claim, Stage.CLAIMED, Stage.APPROVED, Stage.DISALLOWED),
        lambda _: movements.claim_decision(claim.claimed_by_line(), claim.approved_by_line(), now, claim.claim_id),
    )


def _unclaim(claim: Claim, now: datetime) -> Transaction:
    postings: list[Posting] = []
    for line in claim.lines:
        postings += transfer(
            AccountKey.person(line.budget_line_id, Stage.CLAIMED, line.beneficiary_id),
            AccountKey.person(line.budget_line_id, Stage.CONSUMED, line.beneficiary_id),
            line.claimed,
        )
    return Transaction(TransactionKind.CLAIM, tuple(postings), now, reference_id=claim.claim_id)
