"""One view of the money per person, cohort, agreement and funder, from the accounts' balances alone (never a
scan of the postings)."""

from __future__ import annotations

from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.errors import NotFound
from funding_service.domain.money_view import MoneyView
from funding_service.service_layer import access
from hopekit.identity.principal import Principal


async def of_person(uow: FundingUnitOfWork, principal: Principal, beneficiary_id: UUID) -> MoneyView:
    if not principal.can_read():
        raise NotFound("person", beneficiary_id)
    balances = await uow.ledger.balances_where(beneficiary_id=beneficiary_id)
    if not principal.is_operator:
        # A funder-side reader sees a person's money on its own agreements only.
        own = await uow.reference.funder_ids_of_org(principal.org_id)
        if not own:
            raise NotFound("person", beneficiary_id)
        owners = await uow.reference.line_owners({key.budget_line_id for key in balances})
        balances = {key: value for key, value in balances.items() if owners[key.budget_line_id][1] in own}
    if not balances:
        raise NotFound("person", beneficiary_id)
    uow.audit(principal, "read-money", "beneficiary", beneficiary_id)
    return MoneyView.of(balances, whole_lines=False)


async def of_cohort(uow: FundingUnitOfWork, principal: Principal, cohort_id: UUID) -> MoneyView:
    await access.ensure_sees_cohort(uow, principal, cohort_id)
    if await uow.cohorts.get(cohort_id) is None:
        raise NotFound("cohort", cohort_id)
    members = await uow.projection.members(cohort_id)
    uow.audit(principal, "read-money", "cohort", cohort_id)
    return MoneyView.of_totals(await uow.ledger.stage_totals(members), whole_lines=False)


async def of_agreement(uow: FundingUnitOfWork, principal: Principal, agreement_id: UUID) -> MoneyView:
    funder_id = await uow.reference.funder_of(agreement_id)
    if funder_id is None:
        raise NotFound("agreement", agreement_id)
    await access.ensure_sees_funder(uow, principal, funder_id, "agreement")
    return MoneyView.of_totals(await uow.ledger.stage_totals(agreement_id=agreement_id), whole_lines=True)


async def of_funder(uow: FundingUnitOfWork, principal: Principal, funder_id: UUID) -> MoneyView:
    if await uow.reference.funder(funder_id) is None:
        raise NotFound("funder", funder_id)
    await access.ensure_sees_funder(uow, principal, funder_id, "funder")
    return MoneyView.of_totals(await uow.ledger.stage_totals(funder_id=funder_id), whole_lines=True)
