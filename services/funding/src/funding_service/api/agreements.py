"""/v1/agreements: funding agreements, their budget lines and documents, and their states (draft → signed →
active → closed). A state change may carry ``If-Match`` with the version it was decided on."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import Header, Query, Response, status
from pydantic import BaseModel, Field, StringConstraints

from funding_service.api.dependencies import UoW
from funding_service.api.schemas import Fraction, Money, Quantity, Reference, Strict
from funding_service.domain.agreement import DocumentReference, FundingAgreement
from funding_service.domain.budget_line import AttendancePolicy, BudgetLine, Rate, Scope
from funding_service.domain.errors import InvalidValue
from funding_service.domain.vocabulary import AgreementStatus, CostType, Unit
from funding_service.service_layer import agreements
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["agreements"])

ScopeCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class AgreementIn(Strict):
    funder_id: UUID
    reference: Reference
    period_start: date
    period_end: date


class LineIn(Strict):
    cost_type: CostType
    unit: Unit
    rate: Money = Field(gt=0)
    rate_capped: bool = Field(False, description="For hours: the rate is a cap on the plan's hourly cost.")
    quantity: Quantity
    amount: Money = Field(gt=0)
    scope_region: ScopeCode | None = None
    scope_sector: ScopeCode | None = None
    scope_step: int | None = Field(None, ge=1, le=4)
    scope_track: ScopeCode | None = None
    excused_share: Fraction = Field(Decimal(0), description="Share of the planned hours of excused absence paid.")


class DocumentIn(Strict):
    kind: Reference
    reference: Reference


class SignIn(Strict):
    signed_on: date


class LineOut(BaseModel):
    id: UUID
    cost_type: CostType
    unit: Unit
    rate: Money
    rate_capped: bool
    quantity: Quantity
    amount: Money
    scope_region: str | None
    scope_sector: str | None
    scope_step: int | None
    scope_track: str | None
    excused_share: Fraction

    @classmethod
    def of(cls, line: BudgetLine) -> LineOut:
        return cls(
            id=line.budget_line_id,
            cost_type=line.cost_type,
            unit=line.unit,
            rate=line.rate.amount,
            rate_capped=line.rate.capped,
            quantity=line.quantity,
            amount=line.amount,
            scope_region=line.scope.region,
            scope_sector=line.scope.sector_code,
            scope_step=line.scope.step,
            scope_track=line.scope.track,
            excused_share=line.attendance.excused_share,
        )


class TransitionOut(BaseModel):
    from_status: AgreementStatus | None
    to_status: AgreementStatus
    at: datetime


class AgreementOut(BaseModel):
    id: UUID
    funder_id: UUID
    reference: str
    period_start: date
    period_end: date
    status: AgreementStatus
    signed_on: date | None
    total: Money
    version: int
    lines: list[LineOut]
    documents: list[DocumentIn]
    history: list[TransitionOut]

    @classmethod
    def of(cls, agreement: FundingAgreement, version: int) -> AgreementOut:
        return cls(
            id=agreement.agreement_id,
            funder_id=agreement.funder_id,
            reference=agreement.reference,
            period_start=agreement.period_start,
            period_end=agreement.period_end,
            status=agreement.status,
            signed_on=agreement.signed_on,
            total=agreement.total,
            version=version,
            lines=[LineOut.of(line) for line in agreement.lines],
            documents=[DocumentIn(kind=d.kind, reference=d.reference) for d in agreement.documents],
            history=[
                TransitionOut(from_status=h.from_status, to_status=h.to_status, at=h.at) for h in agreement.history
            ],
        )


def _answer(response: Response, agreement: FundingAgreement, version: int) -> AgreementOut:
    response.headers["ETag"] = f'"{version}"'
    return AgreementOut.of(agreement, version)


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError:
        raise InvalidValue("If-Match", "must be the agreement's ETag") from None


@router.post(
    "/v1/agreements", status_code=status.HTTP_201_CREATED, response_model=AgreementOut, dependencies=[IDEMPOTENT]
)
async def create_agreement(body: AgreementIn, principal: Caller, uow: UoW, response: Response) -> AgreementOut:
    agreement = await agreements.create_agreement(
        uow, principal, body.funder_id, body.reference, (body.period_start, body.period_end)
    )
    return _answer(response, agreement, 1)


@router.get("/v1/agreements/{agreement_id}", response_model=AgreementOut)
async def get_agreement(agreement_id: UUID, principal: Caller, uow: UoW, response: Response) -> AgreementOut:
    return _answer(response, *await agreements.get_agreement(uow, principal, agreement_id))


@router.get("/v1/agreements", response_model=Page[AgreementOut])
async def list_agreements(
    principal: Caller,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[AgreementOut]:
    found = [AgreementOut.of(*a) for a in await agreements.agreements_page(uow, principal, after_id(cursor), limit + 1)]
    return Page[AgreementOut](items=found[:limit], next_cursor=next_cursor(found, limit))


@router.post(
    "/v1/agreements/{agreement_id}/lines",
    status_code=status.HTTP_201_CREATED,
    response_model=LineOut,
    dependencies=[IDEMPOTENT],
)
async def add_line(agreement_id: UUID, body: LineIn, principal: Caller, uow: UoW) -> LineOut:
    """Adds a budget line while the agreement is a draft (409 after signing)."""
    line = BudgetLine(
        budget_line_id=uuid4(),
        agreement_id=agreement_id,
        cost_type=body.cost_type,
        unit=body.unit,
        rate=Rate(body.rate, body.rate_capped),
        quantity=body.quantity,
        amount=body.amount,
        scope=Scope(body.scope_region, body.scope_sector, body.scope_step, body.scope_track),
        attendance=AttendancePolicy(body.excused_share),
    )
    return LineOut.of(await agreements.add_line(uow, principal, line))


@router.post("/v1/agreements/{agreement_id}/documents", response_model=AgreementOut)
async def attach_document(
    agreement_id: UUID, body: DocumentIn, principal: Caller, uow: UoW, response: Response
) -> AgreementOut:
    """Attaches a document by reference (attaching the same one twice changes nothing)."""
    await agreements.attach(uow, principal, agreement_id, DocumentReference(body.kind, body.reference))
    return _answer(response, *await agreements.get_agreement(uow, principal, agreement_id))


BAD_IF_MATCH: dict[int | str, dict[str, Any]] = {400: {"description": "If-Match is not an ETag of this API."}}
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag the decision was made on.")]


@router.post("/v1/agreements/{agreement_id}/sign", response_model=AgreementOut, responses=BAD_IF_MATCH)
async def sign(
    agreement_id: UUID, body: SignIn, principal: Caller, uow: UoW, response: Response, if_match: IfMatch = None
) -> AgreementOut:
    """Signs a draft: each line's amount becomes available and ``agreement-signed`` is published."""
    found = await agreements.transition(uow, principal, agreement_id, "sign", _version(if_match), body.signed_on)
    return _answer(response, *found)


@router.post("/v1/agreements/{agreement_id}/activate", response_model=AgreementOut, responses=BAD_IF_MATCH)
async def activate(
    agreement_id: UUID, principal: Caller, uow: UoW, response: Response, if_match: IfMatch = None
) -> AgreementOut:
    """From now on money moves on its lines (commitments, consumption)."""
    return _answer(response, *await agreements.transition(uow, principal, agreement_id, "activate", _version(if_match)))


@router.post("/v1/agreements/{agreement_id}/close", response_model=AgreementOut, responses=BAD_IF_MATCH)
async def close(
    agreement_id: UUID, principal: Caller, uow: UoW, response: Response, if_match: IfMatch = None
) -> AgreementOut:
    return _answer(response, *await agreements.transition(uow, principal, agreement_id, "close", _version(if_match)))
