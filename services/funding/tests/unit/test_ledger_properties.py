"""Any sequence of commitments, sheets and their corrections, releases, claims, approvals, payments and
reversals keeps every transaction balanced and every invariant of the ledger true. A movement the ledger
refuses leaves nothing behind, as the database transaction around it would be rolled back."""

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from funding_service.domain.budget_line import AttendancePolicy
from funding_service.domain.consumption import PersonHours, SessionMark
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger, Transaction
from funding_service.domain.money import ZERO, to_cent
from funding_service.domain.money_view import MoneyView
from funding_service.domain.movements import (
    claim_decision,
    claim_submission,
    grant,
    payment,
    release,
    sheet_consumption,
    step_commitment,
)
from funding_service.domain.vocabulary import LINE_STAGES, AttendanceStatus, CostType, Stage, TransactionKind

NOW = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
LINE_REGION = UUID("00000000-0000-4000-8000-00000000001b")
LINES = (LINE_STATE, LINE_REGION)
PEOPLE = tuple(UUID(f"00000000-0000-4000-8000-00000000000{i}") for i in range(1, 4))
SESSIONS = tuple(UUID(f"00000000-0000-4000-8000-0000000000e{i}") for i in range(1, 5))
PLAN = FinancingPlan(
    plan_id=uuid4(),
    cost_type=CostType.TRAINING_HOURS,
    unit_cost=Decimal("12.37"),
    shares={LINE_STATE: Decimal("0.7"), LINE_REGION: Decimal("0.3")},
    remainder_line_id=LINE_REGION,
    cohort_id=uuid4(),
    step=3,
)
POLICIES = {LINE_STATE: AttendancePolicy(Decimal("0.1")), LINE_REGION: AttendancePolicy(Decimal("0.05"))}
CHAIN = (Stage.COMMITTED, Stage.CONSUMED, Stage.CLAIMED, Stage.APPROVED, Stage.PAID, Stage.DISALLOWED)

budgets = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2)
hours = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("450"), places=2)
fractions = st.sampled_from([Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.999"), Decimal(1)])
people = st.sampled_from(PEOPLE)
sessions = st.sampled_from(SESSIONS)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        self.granted: dict[UUID, Decimal] = {}
        self.hours = {person: PersonHours(person, Decimal(400)) for person in PEOPLE}
        self.refusals = 0

    def attempt(self, change: Callable[[], object]) -> None:
        """Run a change; if the ledger refuses any part, put everything back as it was."""
        kept = copy.deepcopy((self.ledger, self.hours))
        try:
            change()
        except LimitExceeded as refused:
            available = Decimal(refused.details()["available"])
            self.ledger, self.hours = kept
            self.refusals += 1
            assert available >= 0

    def balances_at(self, stage: Stage) -> dict[tuple[UUID, UUID], Decimal]:
        return {
            (key.beneficiary_id, key.budget_line_id): value
            for key, value in self.ledger.balances.items()
            if key.stage is stage and key.beneficiary_id is not None and value > 0
        }

    @initialize(state=budgets, region=budgets)
    def grant_the_lines(self, state: Decimal, region: Decimal) -> None:
        self.granted = {LINE_STATE: state, LINE_REGION: region}
        for line, amount in self.granted.items():
            self.ledger.post(grant(line, amount, NOW))

    @rule(person=people, planned=st.none() | hours)
    def start_step(self, person: UUID, planned: Decimal | None) -> None:
        self.attempt(lambda: self.ledger.post(step_commitment(PLAN, person, planned, NOW, uuid4())))

    @rule(
        person=people,
        session=sessions,
        status=st.sampled_from(AttendanceStatus),
        attended=st.decimals(min_value=0, max_value=7, places=2),
    )
    def record_a_sheet(self, person: UUID, session: UUID, status: AttendanceStatus, attended: Decimal) -> None:
        held_on = date(2025, 9, 1 + SESSIONS.index(session))
        mark = SessionMark(session, held_on, status, attended, Decimal(7))
        self.attempt(lambda: self._consume(person, session, mark))

    @rule(person=people, session=sessions)
    def take_a_person_off_a_sheet(self, person: UUID, session: UUID) -> None:
        self.attempt(lambda: self._consume(person, session, None))

    def _consume(self, person: UUID, session: UUID, mark: SessionMark | None) -> None:
        deltas = self.hours[person].record(mark, session, PLAN, POLICIES)
        posted = sheet_consumption(self.ledger, deltas, NOW, session)
        if posted is not None:
            self.ledger.post(posted)

    @rule(person=people)
    def withdraw(self, person: UUID) -> None:
        released = release(self.ledger, person, list(LINES), NOW)
        if released is not None:
            self.attempt(lambda: self.ledger.post(released))

    @rule(fraction=fractions, extra=st.sampled_from([ZERO, Decimal("0.01")]))
    def claim(self, fraction: Decimal, extra: Decimal) -> None:
        """Claim a share of what is consumed; one cent more than consumed must be refused."""
        amounts = {key: to_cent(value * fraction) + extra for key, value in self.balances_at(Stage.CONSUMED).items()}
        submitted = claim_submission(amounts, NOW, uuid4())
        if submitted is None:
            return
        before = self.refusals
        self.attempt(lambda: self.ledger.post(submitted))
        if extra and fraction == 1:
            assert self.refusals == before + 1

    @rule(fraction=fractions, extra=st.sampled_from([ZERO, Decimal("0.01")]))
    def decide(self, fraction: Decimal, extra: Decimal) -> None:
        claimed = self.balances_at(Stage.CLAIMED)
        approved = {key: min(to_cent(value * fraction) + extra, value + extra) for key, value in claimed.items()}
        decided = claim_decision(claimed, approved, NOW, uuid4())
        if decided is not None:
            self.attempt(lambda: self.ledger.post(decided))

    @rule(fraction=fractions, extra=st.sampled_from([ZERO, Decimal("0.01")]))
    def pay(self, fraction: Decimal, extra: Decimal) -> None:
        paid = {key: to_cent(v * fraction) + extra for key, v in self.balances_at(Stage.APPROVED).items()}
        transaction = payment(paid, NOW, uuid4())
        if transaction is not None:
            before = self.refusals
            self.attempt(lambda: self.ledger.post(transaction))
            if extra and fraction == 1:
                assert self.refusals == before + 1

    @rule(pick=st.integers(min_value=0))
    def reverse_a_commitment_or_a_claim(self, pick: int) -> None:
        reversible = [
            t for t in self.ledger.transactions if t.kind in (TransactionKind.COMMITMENT, TransactionKind.CLAIM)
        ]
        if reversible:
            chosen: Transaction = reversible[pick % len(reversible)]
            self.attempt(lambda: self.ledger.reverse(chosen, NOW))

    @invariant()
    def every_transaction_is_balanced(self) -> None:
        assert all(t.balanced and t.total > 0 for t in self.ledger.transactions)

    @invariant()
    def no_limited_account_is_below_zero(self) -> None:
        assert all(v >= 0 for k, v in self.ledger.balances.items() if not k.may_go_negative)

    @invariant()
    def the_kept_balances_are_the_ones_the_postings_give(self) -> None:
        derived = self.ledger.recomputed()
        assert {k: v for k, v in derived.items() if v} == {k: v for k, v in self.ledger.balances.items() if v}
        assert sum(self.ledger.balances.values(), ZERO) == 0

    @invariant()
    def each_line_holds_exactly_its_grant(self) -> None:
        for line, amount in self.granted.items():
            accounts = {k: v for k, v in self.ledger.balances.items() if k.budget_line_id == line}
            in_chain = sum((v for k, v in accounts.items() if k.stage in CHAIN), ZERO)
            released = sum((v for k, v in accounts.items() if k.stage is Stage.RELEASED), ZERO)
            assert accounts.get(AccountKey.line(line, Stage.AVAILABLE), ZERO) + in_chain == amount
            assert -accounts.get(AccountKey.line(line, Stage.GRANTED), ZERO) == amount + released

    @invariant()
    def the_ledger_holds_the_consumption_the_latest_sheets_say(self) -> None:
        for person, person_hours in self.hours.items():
            view = MoneyView.of(
                {k: v for k, v in self.ledger.balances.items() if k.beneficiary_id == person}, whole_lines=False
            )
            assert view.consumed == sum(person_hours.amounts.posted.values(), ZERO)
            assert view.committed >= view.consumed >= view.claimed >= view.approved >= view.paid >= 0
            assert view.claimed >= view.disallowed

    @invariant()
    def person_accounts_never_hold_line_stages(self) -> None:
        assert all((k.stage in LINE_STAGES) == (k.beneficiary_id is None) for k in self.ledger.balances)


LedgerMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_any_sequence_of_movements_keeps_the_ledger_balanced_and_within_its_limits = LedgerMachine.TestCase
