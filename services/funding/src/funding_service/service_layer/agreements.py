"""Funders and agreements: created and moved through their states by the operator; read per the access rules.

Signing grants each line's amount (``granted`` → ``available``) and publishes ``agreement-signed``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from uuid import UUID, uuid4

from funding_service.adapters.reference import StaleVersion
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.agreement import DocumentReference, FundingAgreement
from funding_service.domain.budget_line import BudgetLine
from funding_service.domain.errors import NotFound
from funding_service.domain.funder import Funder
from funding_service.domain.ledger import AccountKey, Ledger, Transaction
from funding_service.domain.vocabulary import Stage
from funding_service.service_layer import access, support_retry
from funding_service.service_layer.ledger_writes import post
from hope_contracts.funding import AgreementSigned, BudgetLineGranted
from hopekit.identity.principal import Principal


async def create_funder(uow: FundingUnitOfWork, principal: Principal, funder: Funder) -> Funder:
    access.ensure_operator_writer(principal)
    await uow.reference.add_funder(funder)
    uow.audit(principal, "create", "funder", funder.funder_id)
    return funder


async def get_funder(uow: FundingUnitOfWork, principal: Principal, funder_id: UUID) -> Funder:
    funder = await uow.reference.funder(funder_id)
    if funder is None:
        raise NotFound("funder", funder_id)
    await access.ensure_sees_funder(uow, principal, funder_id, "funder")
    return funder


async def funders_page(uow: FundingUnitOfWork, principal: Principal, after: UUID | None, limit: int) -> list[Funder]:
    scope = await access.funder_scope(uow, principal)
    return await uow.reference.funders_page(after, limit, None if scope is None else principal.org_id)


async def create_agreement(
    uow: FundingUnitOfWork, principal: Principal, funder_id: UUID, reference: str, period: tuple[date, date]
) -> FundingAgreement:
    access.ensure_operator_writer(principal)
    if await uow.reference.funder(funder_id) is None:
        raise NotFound("funder", funder_id)
    agreement = FundingAgreement.draft(
        uuid4(), funder_id, reference, period, access.actor(principal), datetime.now(UTC)
    )
    await uow.reference.add_agreement(agreement)
    uow.audit(principal, "create", "agreement", agreement.agreement_id)
    return agreement


async def get_agreement(
    uow: FundingUnitOfWork, principal: Principal, agreement_id: UUID, lock: bool = False
) -> tuple[FundingAgreement, int]:
    found = await uow.reference.agreement(agreement_id, lock=lock)
    if found is None:
        raise NotFound("agreement", agreement_id)
    await access.ensure_sees_funder(uow, principal, found[0].funder_id, "agreement")
    return found


async def agreements_page(
    uow: FundingUnitOfWork, principal: Principal, after: UUID | None, limit: int
) -> list[tuple[FundingAgreement, int]]:
    scope = await access.funder_scope(uow, principal)
    found = []
    for agreement_id in await uow.reference.agreements_page(after, limit, scope):
        loaded = await uow.reference.agreement(agreement_id)
        assert loaded is not None
        found.append(loaded)
    return found


async def add_line(uow: FundingUnitOfWork, principal: Principal, line: BudgetLine) -> BudgetLine:
    access.ensure_operator_writer(principal)
    agreement, _ = await get_agreement(uow, principal, line.agreement_id, lock=True)
    agreement.add_line(line)
    await uow.reference.add_line(line)
    uow.audit(principal, "add-line", "agreement", agreement.agreement_id)
    return line


async def attach(
    uow: FundingUnitOfWork, principal: Principal, agreement_id: UUID, document: DocumentReference
) -> FundingAgreement:
    access.ensure_operator_writer(principal)
    agreement, _ = await get_agreement(uow, principal, agreement_id, lock=True)
    if document not in agreement.documents:
        agreement.attach(document)
        await uow.reference.add_document(agreement_id, document)
        uow.audit(principal, "attach", "agreement", agreement_id)
    return agreement


async def transition(
    uow: FundingUnitOfWork,
    principal: Principal,
    agreement_id: UUID,
    action: str,
    expected_version: int | None,
    signed_on: date | None = None,
) -> tuple[FundingAgreement, int]:
    """``sign`` (needs ``signed_on``), ``activate`` or ``close``; ``expected_version`` (If-Match) guards against
    acting on an agreement someone else changed meanwhile."""
    access.ensure_operator_writer(principal)
    agreement, version = await get_agreement(uow, principal, agreement_id, lock=True)
    if expected_version is not None and expected_version != version:
        raise StaleVersion("the agreement changed since it was read: read it again")
    known = len(agreement.history)
    now = datetime.now(UTC)
    who = access.actor(principal)
    if action == "sign":
        assert signed_on is not None
        agreement.sign(signed_on, who, now)
    elif action == "activate":
        agreement.activate(who, now)
    else:
        agreement.close(who, now)
    version = await uow.reference.save_status(agreement, version, known)
    if action == "sign":
        await _grant(uow, agreement, now)
    elif action == "activate":
        # Support's units its lines' plans could not pay while it was not active are paid now, if they fit.
        await support_retry.for_lines(uow, [line.budget_line_id for line in agreement.lines], principal)
    uow.audit(principal, action, "agreement", agreement_id)
    return agreement, version


def _grant_line(line: BudgetLine, now: datetime, _ledger: Ledger) -> Transaction:
    return movements.grant(line.budget_line_id, line.amount, now)


async def _grant(uow: FundingUnitOfWork, agreement: FundingAgreement, now: datetime) -> None:
    funder = await uow.reference.funder(agreement.funder_id)
    assert funder is not None
    assert agreement.signed_on is not None
    for line in agreement.lines:
        keys = [
            AccountKey.line(line.budget_line_id, Stage.GRANTED),
            AccountKey.line(line.budget_line_id, Stage.AVAILABLE),
        ]
        await post(uow, keys, partial(_grant_line, line, now))
    uow.publish(
        AgreementSigned(
            agreement_id=agreement.agreement_id,
            funder_id=agreement.funder_id,
            funder_kind=funder.kind.value,
            funder_organisation_id=funder.org_id,
            period_start=agreement.period_start,
            period_end=agreement.period_end,
            signed_on=agreement.signed_on,
            total_amount=agreement.total,
            lines=tuple(
                BudgetLineGranted(
                    budget_line_id=line.budget_line_id,
                    cost_type=line.cost_type.value,
                    unit=line.unit.value,
                    quantity=line.quantity,
                    amount=line.amount,
                )
                for line in agreement.lines
            ),
            occurred_at=now,
        )
    )
