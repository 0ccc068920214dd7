"""Fixtures for the funding domain's unit tests: one State line and one region line sharing 70 / 30 of
each training hour of a cohort's step 3, at 12.50 € an hour."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.actor import Actor
from funding_service.domain.budget_line import AttendancePolicy, BudgetLine, Rate
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import Ledger
from funding_service.domain.movements import grant
from funding_service.domain.vocabulary import CostType, Unit

AGREEMENT_STATE = UUID("00000000-0000-4000-8000-0000000000a1")
AGREEMENT_REGION = UUID("00000000-0000-4000-8000-0000000000a2")
LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
LINE_REGION = UUID("00000000-0000-4000-8000-00000000001b")
COHORT = UUID("00000000-0000-4000-8000-0000000000c1")
NOW = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def operator() -> Actor:
    return Actor("akto-finance-1", UUID("00000000-0000-4000-8000-00000000f001"))


@pytest.fixture
def now() -> datetime:
    return NOW


def a_line(
    line_id: UUID = LINE_STATE,
    agreement_id: UUID = AGREEMENT_STATE,
    amount: str = "100000.00",
    excused_share: str = "0",
    rate: str = "15.00",
    capped: bool = True,
) -> BudgetLine:
    return BudgetLine(
        budget_line_id=line_id,
        agreement_id=agreement_id,
        cost_type=CostType.TRAINING_HOURS,
        unit=Unit.HOUR,
        rate=Rate(Decimal(rate), capped=capped),
        quantity=Decimal(10000),
        amount=Decimal(amount),
        attendance=AttendancePolicy(Decimal(excused_share)),
    )


@pytest.fixture
def line_factory() -> Callable[..., BudgetLine]:
    return a_line


@pytest.fixture
def plan() -> FinancingPlan:
    return FinancingPlan(
        plan_id=UUID("00000000-0000-4000-8000-0000000000b1"),
        cost_type=CostType.TRAINING_HOURS,
        unit_cost=Decimal("12.50"),
        shares={LINE_STATE: Decimal("0.7"), LINE_REGION: Decimal("0.3")},
        remainder_line_id=LINE_STATE,
        cohort_id=COHORT,
        step=3,
    )


@pytest.fixture
def funded_ledger() -> Callable[..., Ledger]:
    """A ledger whose two lines were granted the given amounts."""

    def make(state: str = "100000.00", region: str = "100000.00") -> Ledger:
        ledger = Ledger()
        ledger.post(grant(LINE_STATE, Decimal(state), NOW))
        ledger.post(grant(LINE_REGION, Decimal(region), NOW))
        return ledger

    return make
