"""Funders, agreements (with their lines, documents and history) and financing plans in the database."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.tables import (
    agreement_documents,
    agreement_transitions,
    agreements,
    budget_lines,
    financing_plans,
    funders,
    plan_shares,
)
from funding_service.domain.agreement import AgreementTransition, DocumentReference, FundingAgreement
from funding_service.domain.budget_line import AttendancePolicy, BudgetLine, Rate, Scope
from funding_service.domain.errors import FundingError
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.funder import Funder
from funding_service.domain.vocabulary import AgreementStatus, CostType, FunderKind, Unit
from hopekit.db.keyset import after_key
from hopekit.db.sets import among


class CodeTaken(FundingError):
    code = "code_taken"
    category = "conflict"


class StaleVersion(FundingError):
    """Another change to the agreement was committed since the caller read it."""

    code = "stale_version"
    category = "conflict"


class PlanExists(FundingError):
    code = "plan_exists"
    category = "conflict"


def _funder(row: Any) -> Funder:
    return Funder(row.id, row.code, row.name, FunderKind(row.kind), row.org_id)


def _line(row: Any) -> BudgetLine:
    return BudgetLine(
        budget_line_id=row.id,
        agreement_id=row.agreement_id,
        cost_type=CostType(row.cost_type),
        unit=Unit(row.unit),
        rate=Rate(row.rate, bool(row.rate_capped)),
        quantity=row.quantity,
        amount=row.amount,
        scope=Scope(row.scope_region, row.scope_sector, row.scope_step, row.scope_track),
        attendance=AttendancePolicy(row.excused_share),
    )


def _by_person(plans: list[FinancingPlan]) -> dict[UUID, FinancingPlan]:
    return {plan.beneficiary_id: plan for plan in plans if plan.beneficiary_id is not None}


class ReferenceRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        # Budget lines and financing plans are never changed once made: those read are kept for the unit of work
        # (a poll of 25 sheets of 5 cohorts reads each cohort's plan and lines once).
        self._lines: dict[UUID, BudgetLine] = {}
        self._cohort_plans: dict[tuple[str, int | None, UUID], FinancingPlan] = {}
        # People's own plans per (cost type, step), read ahead for a run of sheets (``read_own_plans``): who was
        # asked about, and the plans found.
        self._own_plans: dict[tuple[str, int], tuple[set[UUID], dict[UUID, FinancingPlan]]] = {}

    # Funders

    async def add_funder(self, funder: Funder) -> None:
        try:
            await self._connection.execute(
                insert(funders).values(
                    id=funder.funder_id, code=funder.code, name=funder.name, kind=funder.kind, org_id=funder.org_id
                )
            )
        except IntegrityError as error:
            raise CodeTaken("a funder with this code exists already") from error

    async def funder(self, funder_id: UUID) -> Funder | None:
        row = (await self._connection.execute(select(funders).where(funders.c.id == funder_id))).first()
        return _funder(row) if row is not None else None

    async def funders_page(self, after: UUID | None, limit: int, org_id: UUID | None) -> list[Funder]:
        query = after_key(select(funders), funders.c.id, after, limit)
        if org_id is not None:
            query = query.where(funders.c.org_id == org_id)
        return [_funder(row) for row in await self._connection.execute(query)]

    async def funder_ids_of_org(self, org_id: UUID) -> set[UUID]:
        rows = await self._connection.execute(select(funders.c.id).where(funders.c.org_id == org_id))
        return {row.id for row in rows}

    # Agreements

    async def add_agreement(self, agreement: FundingAgreement) -> None:
        try:
            await self._connection.execute(
                insert(agreements).values(
                    id=agreement.agreement_id,
                    funder_id=agreement.funder_id,
                    reference=agreement.reference,
                    period_start=agreement.period_start,
                    period_end=agreement.period_end,
                    status=agreement.status.value,
                    signed_on=agreement.signed_on,
                    version=1,
                )
            )
        except IntegrityError as error:
            raise CodeTaken("an agreement with this reference exists already") from error
        await self._add_transitions(agreement.agreement_id, agreement.history, 0)

    async def funder_of(self, agreement_id: UUID) -> UUID | None:
        """The agreement's funder alone (who may see what it pays for), without its lines and history."""
        row = (
            await self._connection.execute(select(agreements.c.funder_id).where(agreements.c.id == agreement_id))
        ).first()
        return None if row is None else row.funder_id

    async def agreement(self, agreement_id: UUID, lock: bool = False) -> tuple[FundingAgreement, int] | None:
        """The agreement and its version; ``lock`` holds its row until the transaction ends."""
        query = select(agreements).where(agreements.c.id == agreement_id)
        if lock:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        lines = await self._connection.execute(
            select(budget_lines).where(budget_lines.c.agreement_id == agreement_id).order_by(budget_lines.c.position)
        )
        documents = await self._connection.execute(
            select(agreement_documents).where(agreement_documents.c.agreement_id == agreement_id)
        )
        history = await self._connection.execute(
            select(agreement_transitions)
            .where(agreement_transitions.c.agreement_id == agreement_id)
            .order_by(agreement_transitions.c.position)
        )
        agreement = FundingAgreement(
            agreement_id=row.id,
            funder_id=row.funder_id,
            reference=row.reference,
            period_start=row.period_start,
            period_end=row.period_end,
            status=AgreementStatus(row.status),
            signed_on=row.signed_on,
            lines=[_line(line) for line in lines],
            documents=[DocumentReference(d.kind, d.reference) for d in documents],
            history=[
                AgreementTransition(
                    AgreementStatus(h.from_status) if h.from_status else None,
                    AgreementStatus(h.to_status),
                    h.at,
                    h.actor,
                    h.actor_org_id,
                )
                for h in history
            ],
        )
        return agreement, row.version

    async def agreements_page(self, after: UUID | None, limit: int, funder_ids: set[UUID] | None) -> list[UUID]:
        query = after_key(select(agreements.c.id), agreements.c.id, after, limit)
        if funder_ids is not None:
            query = query.where(agreements.c.funder_id.in_(funder_ids))
        return [row.id for row in await self._connection.execute(query)]

    async def add_line(self, line: BudgetLine) -> None:
        position = await self._connection.scalar(
            select(func.count()).select_from(budget_lines).where(budget_lines.c.agreement_id == line.agreement_id)
        )
        await self._connection.execute(
            insert(budget_lines).values(
                id=line.budget_line_id,
                agreement_id=line.agreement_id,
                position=position or 0,
                cost_type=line.cost_type.value,
                unit=line.unit.value,
                rate=line.rate.amount,
                rate_capped=int(line.rate.capped),
                quantity=line.quantity,
                amount=line.amount,
                scope_region=line.scope.region,
                scope_sector=line.scope.sector_code,
                scope_step=line.scope.step,
                scope_track=line.scope.track,
                excused_share=line.attendance.excused_share,
            )
        )

    async def add_document(self, agreement_id: UUID, document: DocumentReference) -> None:
        await self._connection.execute(
            insert(agreement_documents).values(
                agreement_id=agreement_id, kind=document.kind, reference=document.reference
            )
        )

    async def save_status(self, agreement: FundingAgreement, version: int, known_transitions: int) -> int:
        """Keep a status change if nobody changed the agreement since ``version`` was read; the new version."""
        done = await self._connection.execute(
            update(agreements)
            .where(agreements.c.id == agreement.agreement_id, agreements.c.version == version)
            .values(status=agreement.status.value, signed_on=agreement.signed_on, version=version + 1)
        )
        if done.rowcount != 1:
            raise StaleVersion("the agreement changed since it was read: read it again")
        await self._add_transitions(agreement.agreement_id, agreement.history[known_transitions:], known_transitions)
        return version + 1

    async def _add_transitions(self, agreement_id: UUID, entries: list[AgreementTransition], start: int) -> None:
        if entries:
            await self._connection.execute(
                insert(agreement_transitions),
                [
                    {
                        "id": uuid4(),
                        "agreement_id": agreement_id,
                        "position": start + offset,
                        "from_status": entry.from_status.value if entry.from_status else None,
                        "to_status": entry.to_status.value,
                        "at": entry.at,
                        "actor": entry.actor,
                        "actor_org_id": entry.actor_org_id,
                    }
                    for offset, entry in enumerate(entries)
                ],
            )

    async def lines(self, line_ids: set[UUID]) -> dict[UUID, BudgetLine]:
        missing = line_ids - self._lines.keys()
        if missing:
            rows = await self._connection.execute(select(budget_lines).where(budget_lines.c.id.in_(missing)))
            self._lines.update((row.id, _line(row)) for row in rows)
        return {line_id: self._lines[line_id] for line_id in line_ids if line_id in self._lines}

    async def line_owners(self, line_ids: set[UUID]) -> dict[UUID, tuple[UUID, UUID, str]]:
        """Per line: its agreement, the agreement's funder, and the agreement's status."""
        rows = await self._connection.execute(
            select(
                budget_lines.c.id, agreements.c.id.label("agreement_id"), agreements.c.funder_id, agreements.c.status
            )
            .join(agreements, agreements.c.id == budget_lines.c.agreement_id)
            .where(budget_lines.c.id.in_(line_ids))
        )
        return {row.id: (row.agreement_id, row.funder_id, row.status) for row in rows}

    # Financing plans

    async def add_plan(self, plan: FinancingPlan) -> None:
        existing = select(financing_plans.c.id).where(
            financing_plans.c.cost_type == plan.cost_type.value,
            financing_plans.c.step.is_(None) if plan.step is None else financing_plans.c.step == plan.step,
            financing_plans.c.cohort_id == plan.cohort_id
            if plan.cohort_id is not None
            else financing_plans.c.beneficiary_id == plan.beneficiary_id,
        )
        if (await self._connection.execute(existing)).first() is not None:
            raise PlanExists("a plan already pays this cost of this cohort or path for this step")
        await self._connection.execute(
            insert(financing_plans).values(
                id=plan.plan_id,
                cost_type=plan.cost_type.value,
                unit_cost=plan.unit_cost,
                step=plan.step,
                cohort_id=plan.cohort_id,
                beneficiary_id=plan.beneficiary_id,
                remainder_line_id=plan.remainder_line_id,
            )
        )
        await self._connection.execute(
            insert(plan_shares),
            [{"plan_id": plan.plan_id, "budget_line_id": line, "share": share} for line, share in plan.shares.items()],
        )

    async def cohort_plan(self, cost_type: str, step: int | None, cohort_id: UUID | None) -> FinancingPlan | None:
        """The cohort's plan for a cost type (and step), read once per unit of work once found; none without a
        cohort."""
        if cohort_id is None:
            return None
        key = (cost_type, step, cohort_id)
        if key not in self._cohort_plans:
            found = await self.plans(cost_type=cost_type, step=step, cohort_id=cohort_id)
            if not found:
                return None
            self._cohort_plans[key] = found[0]
        return self._cohort_plans[key]

    async def read_cohort_plans(
        self, cost_type: str, step: int, cohort_ids: Iterable[UUID]
    ) -> dict[UUID, FinancingPlan]:
        """Read ahead, in one statement, the plans of these cohorts that ``cohort_plan`` has not read yet; per
        cohort with one, its plan."""
        cohorts = set(cohort_ids)
        unread = sorted(cohort for cohort in cohorts if (cost_type, step, cohort) not in self._cohort_plans)
        found = (
            []
            if not unread
            else await self._plans(
                select(financing_plans).where(
                    financing_plans.c.cost_type == cost_type,
                    financing_plans.c.step == step,
                    among(self._connection, financing_plans.c.cohort_id, unread),
                )
            )
        )
        for plan in reversed(found):  # the first by id, as ``cohort_plan`` takes it
            if plan.cohort_id is not None:
                self._cohort_plans[(cost_type, step, plan.cohort_id)] = plan
        return {
            cohort: self._cohort_plans[(cost_type, step, cohort)]
            for cohort in cohorts
            if (cost_type, step, cohort) in self._cohort_plans
        }

    async def read_own_plans(self, people: Iterable[UUID], cost_type: str, step: int) -> None:
        """Read ahead, in one statement, the own plans of these people for the cost and step (``own_plans``)."""
        asked = set(people)
        found = await self.plans(asked, cost_type=cost_type, step=step)
        self._own_plans[(cost_type, step)] = (asked, _by_person(found))

    async def own_plans(self, people: Iterable[UUID], cost_type: str, step: int) -> dict[UUID, FinancingPlan]:
        """Per person with one, their own plan (an individual path's) for the cost and step: from what was read
        ahead when it asked about them all."""
        asked = set(people)
        read = self._own_plans.get((cost_type, step))
        if read is not None and asked <= read[0]:
            return {person: read[1][person] for person in asked if person in read[1]}
        return _by_person(await self.plans(asked, cost_type=cost_type, step=step))

    async def plans(self, people: Iterable[UUID] | None = None, **where: object) -> list[FinancingPlan]:
        """Plans matching equalities on their columns, and paying one of ``people``'s own paths when given."""
        query = select(financing_plans)
        for column, value in where.items():
            query = query.where(financing_plans.c[column] == value)
        if people is not None:
            query = query.where(among(self._connection, financing_plans.c.beneficiary_id, people))
        return await self._plans(query)

    async def _plans(self, query: Select[Any]) -> list[FinancingPlan]:
        rows = list(await self._connection.execute(query.order_by(financing_plans.c.id)))
        if not rows:
            return []
        shares: dict[UUID, dict[UUID, Decimal]] = {}
        for share in await self._connection.execute(
            select(plan_shares).where(plan_shares.c.plan_id.in_([row.id for row in rows]))
        ):
            shares.setdefault(share.plan_id, {})[share.budget_line_id] = share.share
        return [
            FinancingPlan(
                plan_id=row.id,
                cost_type=CostType(row.cost_type),
                unit_cost=row.unit_cost,
                shares=shares[row.id],
                remainder_line_id=row.remainder_line_id,
                cohort_id=row.cohort_id,
                beneficiary_id=row.beneficiary_id,
                step=row.step,
            )
            for row in rows
        ]

    async def plan_for(
        self, cost_type: CostType, step: int | None, cohort_id: UUID | None, beneficiary_id: UUID
    ) -> FinancingPlan | None:
        """The person's own plan first (an individual path), else their cohort's."""
        found = await self.plans(cost_type=cost_type.value, step=step, beneficiary_id=beneficiary_id)
        if not found and cohort_id is not None:
            found = await self.plans(cost_type=cost_type.value, step=step, cohort_id=cohort_id)
        return found[0] if found else None
