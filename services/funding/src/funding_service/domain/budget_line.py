"""A budget line of an agreement: what it pays for, at what rate, how much, and which hours count."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from uuid import UUID

from funding_service.domain.errors import InvalidValue
from funding_service.domain.money import ONE, ZERO, money, to_cent
from funding_service.domain.vocabulary import CostType, Unit

_HUNDREDTH = Decimal("0.01")
_SHARE = Decimal("0.0001")


@dataclass(frozen=True)
class Rate:
    """A unit rate, or for hours a cap: the funder pays the plan's hourly cost up to ``amount`` an hour."""

    amount: Decimal
    capped: bool = False

    def __post_init__(self) -> None:
        amount = money(self.amount, "rate")
        if amount <= 0:
            raise InvalidValue("rate", "must be above zero")
        object.__setattr__(self, "amount", amount)


@dataclass(frozen=True)
class Scope:
    """Where a line may be spent; None means anywhere."""

    region: str | None = None
    sector_code: str | None = None
    step: int | None = None
    track: str | None = None

    def __post_init__(self) -> None:
        if self.step is not None and self.step not in (1, 2, 3, 4):
            raise InvalidValue("scope.step", "must be a step from 1 to 4")
        if self.track is not None and self.track not in ("group", "individual"):
            raise InvalidValue("scope.track", "must be group or individual")

    def admits(self, region: str | None, sector_code: str | None, step: int | None, track: str | None) -> bool:
        wanted = ((self.region, region), (self.sector_code, sector_code), (self.step, step), (self.track, track))
        return all(limit is None or limit == actual for limit, actual in wanted)


@dataclass(frozen=True)
class AttendancePolicy:
    """Which hours a training line funds: present always; excused up to ``excused_share`` of the planned
    hours of each person; unexcused never."""

    excused_share: Decimal = ZERO

    def __post_init__(self) -> None:
        share = self.excused_share
        if not share.is_finite() or not ZERO <= share <= ONE or share != share.quantize(_SHARE):
            raise InvalidValue("excused_share", "must be between 0 and 1 with at most four decimals")

    def excused_allowance(self, planned_hours: Decimal) -> Decimal:
        return (planned_hours * self.excused_share).quantize(_HUNDREDTH, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class BudgetLine:
    budget_line_id: UUID
    agreement_id: UUID
    cost_type: CostType
    unit: Unit
    rate: Rate
    quantity: Decimal
    amount: Decimal
    scope: Scope = field(default_factory=Scope)
    attendance: AttendancePolicy = field(default_factory=AttendancePolicy)

    def __post_init__(self) -> None:
        amount = money(self.amount)
        if amount <= 0:
            raise InvalidValue("amount", "must be above zero")
        if not self.quantity.is_finite() or self.quantity <= 0 or self.quantity != self.quantity.quantize(_HUNDREDTH):
            raise InvalidValue("quantity", "must be above zero with at most two decimals")
        if self.rate.capped and self.unit is not Unit.HOUR:
            raise InvalidValue("rate", "only an hourly rate can be a cap")
        if amount > to_cent(self.quantity * self.rate.amount):
            raise InvalidValue("amount", "cannot exceed quantity times rate")
        if self.cost_type is not CostType.TRAINING_HOURS and self.attendance.excused_share != ZERO:
            raise InvalidValue("excused_share", "only a training-hours line funds excused hours")
        object.__setattr__(self, "amount", amount)

    def admits_hourly_part(self, hourly_part: Decimal) -> bool:
        """Whether this line may pay ``hourly_part`` euros an hour (its share of a plan's hourly cost)."""
        return not self.rate.capped or hourly_part <= self.rate.amount
