"""A financing plan: which budget lines pay a cost of a cohort (or of one person's individual path), and
in what shares when several funders share it (for example 70 % / 30 % of each hour)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

from funding_service.domain.budget_line import BudgetLine
from funding_service.domain.errors import InvalidValue
from funding_service.domain.money import check_shares, money, split, to_cent
from funding_service.domain.vocabulary import CostType


@dataclass(frozen=True)
class FinancingPlan:
    plan_id: UUID
    cost_type: CostType
    unit_cost: Decimal
    shares: Mapping[UUID, Decimal]  # budget line id → share of every amount, summing to 1
    remainder_line_id: UUID  # the line that takes the cent a split leaves over
    cohort_id: UUID | None = None
    beneficiary_id: UUID | None = None
    step: int | None = None  # for training hours: the step this plan pays (3 or 4)

    def __post_init__(self) -> None:
        if (self.cohort_id is None) == (self.beneficiary_id is None):
            raise InvalidValue("plan", "a plan pays for one cohort or for one individual path")
        if self.cost_type is CostType.TRAINING_HOURS and self.step not in (3, 4):
            raise InvalidValue("step", "a training-hours plan pays step 3 or step 4")
        check_shares(self.shares)
        if self.remainder_line_id not in self.shares:
            raise InvalidValue("remainder_line_id", "must be one of the plan's lines")
        object.__setattr__(self, "unit_cost", money(self.unit_cost, "unit_cost"))
        object.__setattr__(self, "shares", MappingProxyType(dict(self.shares)))

    @classmethod
    def checked(
        cls,
        plan: FinancingPlan,
        lines: Mapping[UUID, BudgetLine],
        region: str | None = None,
        sector_code: str | None = None,
        track: str | None = None,
    ) -> FinancingPlan:
        """The plan, once its lines are known to exist, to pay its cost type, to admit what it pays for (the
        cohort's or the path's region, sector and track, and the plan's step) and to respect their caps."""
        for line_id, share in plan.shares.items():
            line = lines.get(line_id)
            if line is None:
                raise InvalidValue("shares", f"unknown budget line {line_id}")
            if line.cost_type is not plan.cost_type:
                raise InvalidValue("shares", f"line {line_id} pays {line.cost_type}, not {plan.cost_type}")
            if not line.scope.admits(region, sector_code, plan.step, track):
                raise InvalidValue("shares", f"line {line_id} is not for this region, sector, step or track")
            if not line.admits_hourly_part(plan.unit_cost * share):
                raise InvalidValue("unit_cost", f"line {line_id} caps its hourly rate at {line.rate.amount}")
        return plan

    def amount_for(self, quantity: Decimal) -> Decimal:
        """What a quantity (hours, nights, meals) costs, rounded once."""
        return to_cent(quantity * self.unit_cost)

    def split(self, amount: Decimal) -> dict[UUID, Decimal]:
        return split(amount, self.shares, self.remainder_line_id)

    def parts_for(self, quantity: Decimal) -> dict[UUID, Decimal]:
        """Per line, its part of what a quantity costs; the parts sum to ``amount_for(quantity)``."""
        return self.split(self.amount_for(quantity))
