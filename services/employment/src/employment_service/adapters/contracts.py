"""Work-study contracts and immersion placements in the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from employment_service.adapters.tables import immersion_placements, work_study_contracts
from employment_service.domain.contract import RUNNING_STATUSES, Breach, WorkStudyContract
from employment_service.domain.errors import ActiveContractExists
from employment_service.domain.placement import ImmersionPlacement
from employment_service.domain.vocabulary import BreakingParty, BreakReason, ContractStatus, ContractType
from hopekit.db.keyset import after_key

contracts_t = work_study_contracts


def _contract(row: Any) -> WorkStudyContract:
    breach = (
        Breach(row.broken_on, BreakingParty(row.broken_by), BreakReason(row.break_reason), bool(row.during_trial))
        if row.broken_on is not None
        else None
    )
    return WorkStudyContract(
        id=row.id,
        beneficiary_id=row.beneficiary_id,
        employer_id=row.employer_id,
        establishment_id=row.establishment_id,
        contract_type=ContractType(row.contract_type),
        starts_on=row.starts_on,
        planned_end_on=row.planned_end_on,
        hours_per_week=Decimal(row.hours_per_week),
        tutor_ref=row.tutor_ref,
        trial_ends_on=row.trial_ends_on,
        status=ContractStatus(row.status),
        started_on=row.started_on,
        completed_on=row.completed_on,
        breach=breach,
    )


def _placement(row: Any) -> ImmersionPlacement:
    return ImmersionPlacement(
        id=row.id,
        beneficiary_id=row.beneficiary_id,
        employer_id=row.employer_id,
        establishment_id=row.establishment_id,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        hours=Decimal(row.hours),
    )


class ContractRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, contract: WorkStudyContract) -> None:
        statement = insert(contracts_t).values(
            id=contract.id,
            beneficiary_id=contract.beneficiary_id,
            employer_id=contract.employer_id,
            establishment_id=contract.establishment_id,
            contract_type=contract.contract_type.value,
            starts_on=contract.starts_on,
            planned_end_on=contract.planned_end_on,
            hours_per_week=contract.hours_per_week,
            tutor_ref=contract.tutor_ref,
            trial_ends_on=contract.trial_ends_on,
            status=contract.status.value,
        )
        try:
            if self._connection.dialect.name == "postgresql":
                # A savepoint, so that losing the race to the partial unique index leaves the transaction usable
                # for reading the winner; SQLite undoes only the failed statement anyway.
                async with self._connection.begin_nested():
                    await self._connection.execute(statement)
            else:
                await self._connection.execute(statement)
        except IntegrityError as error:
            running = await self.running_of(contract.beneficiary_id)
            raise ActiveContractExists(contract.beneficiary_id, running.id if running else contract.id) from error

    async def running_of(self, beneficiary_id: UUID) -> WorkStudyContract | None:
        query = select(contracts_t).where(
            contracts_t.c.beneficiary_id == beneficiary_id,
            contracts_t.c.status.in_([s.value for s in RUNNING_STATUSES]),
        )
        row = (await self._connection.execute(query)).first()
        return _contract(row) if row is not None else None

    async def of_person(self, beneficiary_id: UUID) -> list[WorkStudyContract]:
        query = select(contracts_t).where(contracts_t.c.beneficiary_id == beneficiary_id)
        return [_contract(row) for row in await self._connection.execute(query)]

    async def get(self, contract_id: UUID) -> WorkStudyContract | None:
        row = (await self._connection.execute(select(contracts_t).where(contracts_t.c.id == contract_id))).first()
        return _contract(row) if row is not None else None

    async def save(self, contract: WorkStudyContract) -> None:
        breach = contract.breach
        await self._connection.execute(
            update(contracts_t)
            .where(contracts_t.c.id == contract.id)
            .values(
                status=contract.status.value,
                started_on=contract.started_on,
                completed_on=contract.completed_on,
                broken_on=breach.ended_on if breach else None,
                broken_by=breach.by.value if breach else None,
                break_reason=breach.reason.value if breach else None,
                during_trial=breach.during_trial if breach else None,
            )
        )

    async def page(
        self, employer_id: UUID | None, beneficiary_ids: list[UUID] | None, after: UUID | None, limit: int
    ) -> list[WorkStudyContract]:
        query = select(contracts_t)
        if employer_id is not None:
            query = query.where(contracts_t.c.employer_id == employer_id)
        if beneficiary_ids is not None:
            query = query.where(contracts_t.c.beneficiary_id.in_(beneficiary_ids))
        query = after_key(query, contracts_t.c.id, after, limit)
        return [_contract(row) for row in await self._connection.execute(query)]

    async def add_placement(self, placement: ImmersionPlacement) -> None:
        await self._connection.execute(
            insert(immersion_placements).values(
                id=placement.id,
                beneficiary_id=placement.beneficiary_id,
                employer_id=placement.employer_id,
                establishment_id=placement.establishment_id,
                starts_on=placement.starts_on,
                ends_on=placement.ends_on,
                hours=placement.hours,
            )
        )

    async def placements_of(self, beneficiary_id: UUID) -> list[ImmersionPlacement]:
        query = (
            select(immersion_placements)
            .where(immersion_placements.c.beneficiary_id == beneficiary_id)
            .order_by(immersion_placements.c.starts_on)
        )
        return [_placement(row) for row in await self._connection.execute(query)]

    async def forget_person(self, beneficiary_id: UUID) -> None:
        """Erasure: immersions go; each contract keeps its counts under a fresh random id of its own."""
        await self._connection.execute(
            delete(immersion_placements).where(immersion_placements.c.beneficiary_id == beneficiary_id)
        )
        ids = list(
            await self._connection.scalars(
                select(contracts_t.c.id).where(contracts_t.c.beneficiary_id == beneficiary_id)
            )
        )
        for contract_id in ids:
            await self._connection.execute(
                update(contracts_t).where(contracts_t.c.id == contract_id).values(beneficiary_id=uuid4())
            )
