"""/v1/claims: a claim's whole life, its CSV export and its certificates of completion (JSON or PDF)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import anyio.to_thread
from fastapi import Header, Query, Response, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field, StringConstraints

from funding_service.adapters import certificate_pdf
from funding_service.api.dependencies import UoW
from funding_service.api.schemas import Hours, Money, Quantity, Reference, Strict
from funding_service.domain.certificate import CertificateOfCompletion
from funding_service.domain.claim import MAX_COMMENT, Claim
from funding_service.domain.vocabulary import ClaimStatus, CostType
from funding_service.service_layer import certificates, claims
from hope_contracts.funding import ClaimReason
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["claims"])


class ClaimIn(Strict):
    agreement_id: UUID
    period_start: date
    period_end: date


class StepIn(Strict):
    on: date = Field(description="The date the step happened (the funder's decision date, the payment date).")


class ReturnIn(StepIn):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT)]


class DecisionIn(Strict):
    beneficiary_id: UUID
    budget_line_id: UUID
    approved: Money = Field(ge=0)
    reason_code: ClaimReason | None = None


class ApproveIn(StepIn):
    lines: list[DecisionIn] = Field(default_factory=list, description="Lines not named are approved in full.")


class RejectIn(StepIn):
    reason_code: ClaimReason


class PaymentIn(StepIn):
    reference: Reference
    amount: Money = Field(gt=0)


class ClaimLineOut(BaseModel):
    beneficiary_id: UUID
    budget_line_id: UUID
    cost_type: CostType
    claimed: Money
    approved: Money | None
    reason_code: ClaimReason | None


class ClaimStepOut(BaseModel):
    from_status: ClaimStatus | None
    to_status: ClaimStatus
    on: date
    comment: str | None


class ClaimOut(BaseModel):
    id: UUID
    agreement_id: UUID
    period_start: date
    period_end: date
    status: ClaimStatus
    claimed: Money
    approved: Money
    payment_reference: str | None
    paid_on: date | None
    paid_amount: Money | None
    lines: list[ClaimLineOut]
    history: list[ClaimStepOut]

    @classmethod
    def of(cls, claim: Claim) -> ClaimOut:
        payment = claim.payment
        return cls(
            id=claim.claim_id,
            agreement_id=claim.agreement_id,
            period_start=claim.period_start,
            period_end=claim.period_end,
            status=claim.status,
            claimed=claim.claimed,
            approved=claim.approved,
            payment_reference=payment.reference if payment else None,
            paid_on=payment.paid_on if payment else None,
            paid_amount=payment.amount if payment else None,
            lines=[
                ClaimLineOut(
                    beneficiary_id=line.beneficiary_id,
                    budget_line_id=line.budget_line_id,
                    cost_type=line.cost_type,
                    claimed=line.claimed,
                    approved=line.approved,
                    reason_code=line.reason_code,
                )
                for line in claim.lines
            ],
            history=[
                ClaimStepOut(from_status=h.from_status, to_status=h.to_status, on=h.on, comment=h.comment)
                for h in claim.history
            ],
        )


@router.post("/v1/claims", status_code=status.HTTP_201_CREATED, response_model=ClaimOut, dependencies=[IDEMPOTENT])
async def create_claim(body: ClaimIn, principal: Caller, uow: UoW) -> ClaimOut:
    """A draft claiming, per person and line, what was consumed in the period and not yet claimed (422 when
    nothing is left to claim)."""
    return ClaimOut.of(await claims.build(uow, principal, body.agreement_id, (body.period_start, body.period_end)))


@router.get("/v1/claims/{claim_id}", response_model=ClaimOut)
async def get_claim(claim_id: UUID, principal: Caller, uow: UoW) -> ClaimOut:
    return ClaimOut.of(await claims.read(uow, principal, claim_id))


@router.get("/v1/claims", response_model=Page[ClaimOut])
async def list_claims(
    principal: Caller,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[ClaimOut]:
    found = [ClaimOut.of(c) for c in await claims.page(uow, principal, after_id(cursor), limit + 1)]
    return Page[ClaimOut](items=found[:limit], next_cursor=next_cursor(found, limit))


@router.post("/v1/claims/{claim_id}/submit", response_model=ClaimOut)
async def submit(claim_id: UUID, body: StepIn, principal: Caller, uow: UoW) -> ClaimOut:
    return ClaimOut.of(await claims.act(uow, principal, claim_id, "submit", body.on))


@router.post("/v1/claims/{claim_id}/return", response_model=ClaimOut)
async def return_claim(claim_id: UUID, body: ReturnIn, principal: Caller, uow: UoW) -> ClaimOut:
    """The funder sent it back with a comment (kept in the history, never in an event)."""
    return ClaimOut.of(await claims.act(uow, principal, claim_id, "return", body.on, comment=body.comment))


@router.post("/v1/claims/{claim_id}/reopen", response_model=ClaimOut)
async def reopen(claim_id: UUID, body: StepIn, principal: Caller, uow: UoW) -> ClaimOut:
    return ClaimOut.of(await claims.act(uow, principal, claim_id, "reopen", body.on))


@router.post("/v1/claims/{claim_id}/approve", response_model=ClaimOut)
async def approve(claim_id: UUID, body: ApproveIn, principal: Caller, uow: UoW) -> ClaimOut:
    decisions: dict[tuple[UUID, UUID], tuple[Decimal, str | None]] = {
        (d.beneficiary_id, d.budget_line_id): (d.approved, d.reason_code) for d in body.lines
    }
    return ClaimOut.of(await claims.act(uow, principal, claim_id, "approve", body.on, decisions=decisions))


@router.post("/v1/claims/{claim_id}/reject", response_model=ClaimOut)
async def reject(claim_id: UUID, body: RejectIn, principal: Caller, uow: UoW) -> ClaimOut:
    return ClaimOut.of(await claims.act(uow, principal, claim_id, "reject", body.on, reason_code=body.reason_code))


@router.post("/v1/claims/{claim_id}/payment", response_model=ClaimOut)
async def payment(claim_id: UUID, body: PaymentIn, principal: Caller, uow: UoW) -> ClaimOut:
    return ClaimOut.of(
        await claims.act(uow, principal, claim_id, "pay", body.on, payment=(body.reference, body.amount))
    )


@router.post("/v1/claims/{claim_id}/reconcile", response_model=ClaimOut)
async def reconcile(claim_id: UUID, body: StepIn, principal: Caller, uow: UoW) -> ClaimOut:
    return ClaimOut.of(await claims.act(uow, principal, claim_id, "reconcile", body.on))


class CertificateOut(BaseModel):
    beneficiary_id: UUID
    course_id: UUID
    step: int
    title: str
    provider_org_id: UUID
    first_day: date
    last_day: date
    hours_planned: Quantity
    hours_present: Hours
    hours_excused: Hours
    hours_unexcused: Hours

    @classmethod
    def of(cls, certificate: CertificateOfCompletion) -> CertificateOut:
        return cls(
            beneficiary_id=certificate.beneficiary_id,
            course_id=certificate.action.course_id,
            step=certificate.action.step,
            title=certificate.action.title,
            provider_org_id=certificate.action.provider_org_id,
            first_day=certificate.first_day,
            last_day=certificate.last_day,
            hours_planned=certificate.hours_planned,
            hours_present=certificate.hours_present,
            hours_excused=certificate.hours_excused,
            hours_unexcused=certificate.hours_unexcused,
        )


PDF = "application/pdf"


@router.get(
    "/v1/claims/{claim_id}/certificates/{beneficiary_id}",
    response_model=list[CertificateOut],
    responses={200: {"content": {PDF: {}}}},
)
async def certificates_of(
    claim_id: UUID, beneficiary_id: UUID, principal: Caller, uow: UoW, accept: Annotated[str | None, Header()] = None
) -> Response | list[CertificateOut]:
    """The person's certificates of completion (one per training action), as JSON, or as one PDF when the
    ``Accept`` header asks for ``application/pdf``."""
    found = await certificates.of_person(uow, principal, claim_id, beneficiary_id)
    if accept is not None and PDF in accept:
        document = await anyio.to_thread.run_sync(certificate_pdf.render, found, str(claim_id))
        return Response(document, media_type=PDF)
    return [CertificateOut.of(certificate) for certificate in found]


@router.get(
    "/v1/claims/{claim_id}/export.csv", response_class=PlainTextResponse, responses={200: {"content": {"text/csv": {}}}}
)
async def export_csv(claim_id: UUID, principal: Caller, uow: UoW) -> Response:
    """The claim's lines as CSV (one per person and budget line) for a funder's own system."""
    return Response(await certificates.csv_export(uow, principal, claim_id), media_type="text/csv; charset=utf-8")
