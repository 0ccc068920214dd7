"""Whatever order sheets and their corrections arrive in, what is posted per (session, line) is what the
latest sheets say priced from scratch, and the differences posted add up to it. The cheap path (only the
sheet's own session repriced) never disagrees with the full one."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from funding_service.domain.budget_line import AttendancePolicy
from funding_service.domain.consumption import PersonHours, SessionMark
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import AttendanceStatus, CostType

LINE_A = UUID("00000000-0000-4000-8000-00000000001a")
LINE_B = UUID("00000000-0000-4000-8000-00000000001b")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
SESSIONS = [UUID(f"00000000-0000-4000-8000-0000000000e{i}") for i in range(6)]
PLAN = FinancingPlan(
    plan_id=UUID(int=1),
    cost_type=CostType.TRAINING_HOURS,
    unit_cost=Decimal("13.33"),
    shares={LINE_A: Decimal("0.65"), LINE_B: Decimal("0.35")},
    remainder_line_id=LINE_B,
    cohort_id=UUID(int=2),
    step=3,
)
policy_shares = st.sampled_from([Decimal(0), Decimal("0.02"), Decimal("0.05")])
marks = st.tuples(
    st.integers(min_value=0, max_value=len(SESSIONS) - 1),
    st.none() | st.tuples(st.sampled_from(AttendanceStatus), st.decimals(min_value=0, max_value=7, places=2)),
)


def expected(person: PersonHours, policies: dict[UUID, AttendancePolicy]) -> dict[tuple[UUID, UUID], Decimal]:
    fresh = PersonHours(ANNA, person.planned_hours)
    fresh.marks = dict(person.marks)
    found = {}
    for line_id, policy in policies.items():
        for session_id, hours in fresh.funded_hours(policy).items():
            part = PLAN.parts_for(hours)[line_id]
            if part:
                found[(session_id, line_id)] = part
    return found


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(marks, max_size=30), share_a=policy_shares, share_b=policy_shares)
def test_posted_consumption_always_equals_the_latest_sheets_priced_from_scratch(
    steps: list[tuple[int, tuple[AttendanceStatus, Decimal] | None]], share_a: Decimal, share_b: Decimal
) -> None:
    policies = {LINE_A: AttendancePolicy(share_a), LINE_B: AttendancePolicy(share_b)}
    person = PersonHours(ANNA, Decimal(100))
    sums: dict[tuple[UUID, UUID], Decimal] = {}
    for index, given_mark in steps:
        session = SESSIONS[index]
        mark = None
        if given_mark is not None:
            status, attended = given_mark
            mark = SessionMark(session, date(2025, 9, 1 + index), status, attended, Decimal(7))
        for delta in person.record(mark, session, PLAN, policies):
            key = (delta.reference_id, delta.budget_line_id)
            sums[key] = sums.get(key, ZERO) + delta.amount
        assert {k: v for k, v in person.amounts.posted.items() if v} == expected(person, policies)
        assert {k: v for k, v in sums.items() if v} == expected(person, policies)
