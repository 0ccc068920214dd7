"""Whatever order a step's start, its sheets and their corrections, its course's re-schedules and a withdrawal
arrive in, a person's step commitment holds exactly its planned cost less what the step consumed (never below
zero), and a withdrawal gives back no more than was committed and not consumed. The machine plays the service
layer's rules with the domain's builders (``step_parts``, ``sheet_consumption`` with ``reserved``,
``step_recommitment_changes``, ``release``)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from funding_service.domain.budget_line import AttendancePolicy
from funding_service.domain.consumption import PersonHours, SessionMark
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.money import ZERO
from funding_service.domain.movements import (
    commitment,
    grant,
    recommitment,
    release,
    sheet_consumption,
    step_parts,
    step_recommitment_changes,
)
from funding_service.domain.vocabulary import AttendanceStatus, CostType, Stage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LINE_A = UUID("00000000-0000-4000-8000-00000000001a")
LINE_B = UUID("00000000-0000-4000-8000-00000000001b")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
SESSIONS = tuple(UUID(f"00000000-0000-4000-8000-0000000000e{i}") for i in range(5))
PLAN = FinancingPlan(
    plan_id=uuid4(),
    cost_type=CostType.TRAINING_HOURS,
    unit_cost=Decimal("12.37"),
    shares={LINE_A: Decimal("0.7"), LINE_B: Decimal("0.3")},
    remainder_line_id=LINE_B,
    cohort_id=uuid4(),
    step=3,
)
POLICIES = {LINE_A: AttendancePolicy(Decimal("0.1")), LINE_B: AttendancePolicy()}
GRANT = Decimal("1000000.00")


def committed(ledger: Ledger, line: UUID) -> Decimal:
    return ledger.balance(AccountKey.person(line, Stage.COMMITTED, ANNA))


class OrderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        for line in PLAN.shares:
            self.ledger.post(grant(line, GRANT, NOW))
        self.hours = PersonHours(ANNA, Decimal(400))
        self.planned: Decimal | None = None  # the hours the step commitment stands for, once made
        self.withdrawn = False

    def consumed(self) -> dict[UUID, Decimal]:
        found = dict.fromkeys(PLAN.shares, ZERO)
        for (_, line), amount in self.hours.amounts.posted.items():
            found[line] += amount
        return found

    @precondition(lambda self: self.planned is None)
    @rule(planned=st.sampled_from([Decimal("2"), Decimal("10"), Decimal("400")]))
    def start_the_step(self, planned: Decimal) -> None:
        self.planned = planned
        if self.withdrawn:
            return  # a withdrawn person's path commits nothing (enrolment would not start it)
        parts = step_parts(PLAN, planned, self.consumed())
        if any(parts.values()):
            self.ledger.post(commitment(ANNA, parts, NOW, uuid4()))

    @rule(
        session=st.sampled_from(SESSIONS),
        mark=st.none() | st.tuples(st.sampled_from(AttendanceStatus), st.decimals(min_value=0, max_value=7, places=2)),
    )
    def a_sheet_or_its_correction(self, session: UUID, mark: tuple[AttendanceStatus, Decimal] | None) -> None:
        given = None
        if mark is not None:
            held_on = date(2026, 3, 2 + SESSIONS.index(session))
            given = SessionMark(session, held_on, mark[0], mark[1], Decimal(7))
        before = self.consumed()
        deltas = self.hours.record(given, session, PLAN, POLICIES)
        standing = self.planned is not None and not self.withdrawn
        parts = PLAN.parts_for(self.planned) if standing and self.planned is not None else {}
        reserved = {(ANNA, line): parts.get(line, ZERO) - before[line] for line in PLAN.shares}
        posted = sheet_consumption(self.ledger, deltas, NOW, session, reserved)
        if posted is not None:
            self.ledger.post(posted)

    @precondition(lambda self: self.planned is not None and not self.withdrawn)
    @rule(hours=st.sampled_from([Decimal("1"), Decimal("5"), Decimal("35"), Decimal("450")]))
    def the_course_is_rescheduled(self, hours: Decimal) -> None:
        assert self.planned is not None
        changes = step_recommitment_changes(PLAN, self.planned, hours, self.consumed())
        moved = recommitment(self.ledger, ANNA, changes, NOW, uuid4())
        if moved is not None:
            self.ledger.post(moved)
        self.planned = hours

    @precondition(lambda self: not self.withdrawn)
    @rule()
    def withdraw(self) -> None:
        expected = dict.fromkeys(PLAN.shares, ZERO)
        if self.planned is not None:
            expected = {
                line: max(part - self.consumed()[line], ZERO) for line, part in PLAN.parts_for(self.planned).items()
            }
        released = release(self.ledger, ANNA, list(PLAN.shares), NOW)
        given_back = dict.fromkeys(PLAN.shares, ZERO)
        if released is not None:
            self.ledger.post(released)
            for posting in released.postings:
                if posting.account.stage is Stage.RELEASED:
                    given_back[posting.account.budget_line_id] += posting.amount
        # Exactly what was committed and not consumed, never more.
        assert given_back == expected
        self.withdrawn = True

    @invariant()
    def the_commitment_holds_the_planned_cost_less_the_consumption(self) -> None:
        consumed = self.consumed()
        for line in PLAN.shares:
            if self.planned is None or self.withdrawn:
                assert committed(self.ledger, line) == ZERO
            else:
                part = PLAN.parts_for(self.planned)[line]
                assert committed(self.ledger, line) == max(part - consumed[line], ZERO)

    @invariant()
    def the_ledger_holds_the_consumption_and_each_line_its_grant(self) -> None:
        consumed = self.consumed()
        for line in PLAN.shares:
            assert self.ledger.balance(AccountKey.person(line, Stage.CONSUMED, ANNA)) == consumed[line]
            on_line = sum((v for k, v in self.ledger.balances.items() if k.budget_line_id == line), ZERO)
            assert on_line == ZERO  # granted (negative) + available + every stage
        assert all(t.balanced for t in self.ledger.transactions)


OrderMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
test_any_order_of_start_sheets_reschedules_and_withdrawal_reserves_exactly = OrderMachine.TestCase
