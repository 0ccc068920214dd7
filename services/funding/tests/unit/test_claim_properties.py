"""Whatever is asked of a claim, in any order and with any dates, its history follows the allowed steps with
dates in order, it never approves more than was claimed nor records a payment above what was approved,
and a refused request is a domain error that changes nothing."""

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from funding_service.domain.actor import Actor
from funding_service.domain.claim import Claim, Unclaimed
from funding_service.domain.errors import FundingError
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import ClaimStatus, CostType

ACTOR = Actor("akto-finance-1", UUID("00000000-0000-4000-8000-00000000f001"))
LINE = UUID("00000000-0000-4000-8000-00000000001a")
PEOPLE = [UUID(f"00000000-0000-4000-8000-00000000000{i}") for i in range(1, 4)]
START = date(2025, 9, 1)
NOW = datetime(2026, 6, 30, tzinfo=UTC)
ALLOWED = {
    (None, ClaimStatus.DRAFT),
    (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED),
    (ClaimStatus.SUBMITTED, ClaimStatus.RETURNED),
    (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED),
    (ClaimStatus.SUBMITTED, ClaimStatus.REJECTED),
    (ClaimStatus.RETURNED, ClaimStatus.DRAFT),
    (ClaimStatus.APPROVED, ClaimStatus.PAID),
    (ClaimStatus.PAID, ClaimStatus.RECONCILED),
}
days = st.integers(min_value=30, max_value=60).map(lambda n: START + timedelta(days=n))
amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("500"), places=2)


class ClaimMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        items = [Unclaimed(p, LINE, CostType.TRAINING_HOURS, START, Decimal("250.00")) for p in PEOPLE]
        period = (START, START + timedelta(days=29))
        built_at = datetime(2025, 10, 1, tzinfo=UTC)
        self.claim = Claim.build(UUID(int=7), UUID(int=8), period, items, ACTOR, built_at)

    def attempt(self, action: str, *args: object) -> None:
        kept = copy.deepcopy(self.claim)
        try:
            getattr(self.claim, action)(*args)
        except FundingError:
            assert self.claim == kept

    @rule(on=days)
    def submit(self, on: date) -> None:
        self.attempt("submit", on, ACTOR, NOW)

    @rule(on=days, comment=st.sampled_from(["", "Missing certificates"]))
    def return_for_changes(self, on: date, comment: str) -> None:
        self.attempt("return_for_changes", comment, on, ACTOR, NOW)

    @rule(on=days)
    def reopen(self, on: date) -> None:
        self.attempt("reopen", on, ACTOR, NOW)

    @rule(on=days, approved=st.lists(amounts, min_size=3, max_size=3), reason=st.none() | st.just("capped"))
    def approve(self, on: date, approved: list[Decimal], reason: str | None) -> None:
        decisions = {(p, LINE): (a, reason) for p, a in zip(PEOPLE, approved, strict=True)}
        self.attempt("approve", decisions, on, ACTOR, NOW)

    @rule(on=days)
    def approve_in_full(self, on: date) -> None:
        self.attempt("approve", {}, on, ACTOR, NOW)

    @rule(on=days)
    def reject(self, on: date) -> None:
        self.attempt("reject", "out_of_scope", on, ACTOR, NOW)

    @rule(on=days, amount=st.decimals(min_value=Decimal("-1"), max_value=Decimal("800"), places=2))
    def pay(self, on: date, amount: Decimal) -> None:
        self.attempt("pay", "VIR-1", on, amount, ACTOR, NOW)

    @rule(on=days)
    def reconcile(self, on: date) -> None:
        self.attempt("reconcile", on, ACTOR, NOW)

    @invariant()
    def the_history_follows_the_allowed_steps_with_dates_in_order(self) -> None:
        history = self.claim.history
        assert all((t.from_status, t.to_status) in ALLOWED for t in history)
        assert all(a.to_status == b.from_status for a, b in pairwise(history))
        assert all(a.on <= b.on for a, b in pairwise(history))
        assert history[-1].to_status is self.claim.status

    @invariant()
    def nothing_is_approved_beyond_the_claim_nor_paid_beyond_the_approval(self) -> None:
        for line in self.claim.lines:
            assert line.approved is None or ZERO <= line.approved <= line.claimed
            assert line.approved is None or line.approved == line.claimed or line.reason_code
        if self.claim.payment is not None:
            assert ZERO < self.claim.payment.amount <= self.claim.approved


ClaimMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)
test_any_sequence_of_requests_keeps_a_claim_consistent = ClaimMachine.TestCase
