"""A claim to a funder for one agreement and one period, from what was consumed and not yet claimed.

draft → submitted → returned (with a comment) → draft … → approved (an amount per line, a reason where it
is less than claimed) | rejected; approved → paid (reference, date, amount) → reconciled. Each step's date
is on or after the previous one's, and every change is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

from funding_service.domain.actor import Actor
from funding_service.domain.errors import DatesOutOfOrder, IllegalTransition, InvalidValue
from funding_service.domain.instants import as_utc
from funding_service.domain.money import ZERO, money
from funding_service.domain.vocabulary import ClaimReason, ClaimStatus, CostType

_REASONS = frozenset(reason.value for reason in ClaimReason)
_PAYMENT_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,63}")
MAX_COMMENT = 2000

_NEXT: Mapping[ClaimStatus, tuple[ClaimStatus, ...]] = MappingProxyType(
    {
        ClaimStatus.DRAFT: (ClaimStatus.SUBMITTED,),
        ClaimStatus.SUBMITTED: (ClaimStatus.RETURNED, ClaimStatus.APPROVED, ClaimStatus.REJECTED),
        ClaimStatus.RETURNED: (ClaimStatus.DRAFT,),
        ClaimStatus.APPROVED: (ClaimStatus.PAID,),
        ClaimStatus.REJECTED: (),
        ClaimStatus.PAID: (ClaimStatus.RECONCILED,),
        ClaimStatus.RECONCILED: (),
    }
)


@dataclass(frozen=True)
class Unclaimed:
    """Consumption not yet claimed, as the repository keeps it: per person, line and date of the session."""

    beneficiary_id: UUID
    budget_line_id: UUID
    cost_type: CostType
    held_on: date
    amount: Decimal


@dataclass(frozen=True)
class ClaimLine:
    beneficiary_id: UUID
    budget_line_id: UUID
    cost_type: CostType
    claimed: Decimal
    approved: Decimal | None = None
    reason_code: str | None = None  # why less was approved than claimed

    @property
    def key(self) -> tuple[UUID, UUID]:
        return (self.beneficiary_id, self.budget_line_id)


@dataclass(frozen=True)
class ClaimTransition:
    from_status: ClaimStatus | None
    to_status: ClaimStatus
    on: date
    at: datetime
    actor: str
    actor_org_id: UUID
    comment: str | None = None


@dataclass(frozen=True)
class Payment:
    reference: str
    paid_on: date
    amount: Decimal


@dataclass
class Claim:
    claim_id: UUID
    agreement_id: UUID
    period_start: date
    period_end: date
    lines: list[ClaimLine]
    status: ClaimStatus = ClaimStatus.DRAFT
    history: list[ClaimTransition] = field(default_factory=list)
    payment: Payment | None = None

    @classmethod
    def build(
        cls,
        claim_id: UUID,
        agreement_id: UUID,
        period: tuple[date, date],
        unclaimed: Iterable[Unclaimed],
        actor: Actor,
        at: datetime,
    ) -> Claim:
        """A draft claiming, per person and line, what was consumed in the period and not yet claimed."""
        start, end = period
        if end < start:
            raise DatesOutOfOrder("period_end", start.isoformat())
        sums: dict[tuple[UUID, UUID, CostType], Decimal] = {}
        for item in unclaimed:
            if start <= item.held_on <= end:
                key = (item.beneficiary_id, item.budget_line_id, item.cost_type)
                sums[key] = sums.get(key, ZERO) + item.amount
        lines = [ClaimLine(p, line, cost, amount) for (p, line, cost), amount in sorted(sums.items()) if amount > 0]
        if not lines:
            raise InvalidValue("period", "nothing consumed in the period is left to claim")
        at = as_utc(at)
        entry = ClaimTransition(None, ClaimStatus.DRAFT, at.date(), at, actor.subject, actor.org_id)
        return cls(claim_id, agreement_id, start, end, lines, history=[entry])

    @property
    def claimed(self) -> Decimal:
        return sum((line.claimed for line in self.lines), ZERO)

    @property
    def approved(self) -> Decimal:
        return sum((line.approved or ZERO for line in self.lines), ZERO)

    def claimed_by_line(self) -> dict[tuple[UUID, UUID], Decimal]:
        return {line.key: line.claimed for line in self.lines}

    def approved_by_line(self) -> dict[tuple[UUID, UUID], Decimal]:
        return {line.key: line.approved or ZERO for line in self.lines}

    def remove_line(self, beneficiary_id: UUID, budget_line_id: UUID) -> None:
        """While a draft, a line can be left out (it stays consumed, to claim later)."""
        self._require(ClaimStatus.DRAFT, "edit")
        kept = [line for line in self.lines if line.key != (beneficiary_id, budget_line_id)]
        if len(kept) == len(self.lines):
            raise InvalidValue("line", "the claim has no such line")
        if not kept:
            raise InvalidValue("line", "a claim keeps at least one line")
        self.lines = kept

    def submit(self, on: date, actor: Actor, at: datetime) -> None:
        self._enter(ClaimStatus.SUBMITTED, on, actor, at)

    def return_for_changes(self, comment: str, on: date, actor: Actor, at: datetime) -> None:
        if not comment.strip():
            raise InvalidValue("comment", "a returned claim says what to change")
        if len(comment) > MAX_COMMENT:
            raise InvalidValue("comment", f"must be at most {MAX_COMMENT} characters")
        self._enter(ClaimStatus.RETURNED, on, actor, at, comment.strip())

    def reopen(self, on: date, actor: Actor, at: datetime) -> None:
        self._enter(ClaimStatus.DRAFT, on, actor, at)

    def approve(
        self, decisions: Mapping[tuple[UUID, UUID], tuple[Decimal, str | None]], on: date, actor: Actor, at: datetime
    ) -> None:
        """``decisions`` per (person, line): the approved amount and, when it is less than claimed, a reason
        code. A line without a decision is approved in full."""
        self._check(ClaimStatus.APPROVED, on, at)
        unknown = set(decisions) - {line.key for line in self.lines}
        if unknown:
            raise InvalidValue("decisions", "a decision names a line the claim does not have")
        decided = []
        for line in self.lines:
            amount, reason = decisions.get(line.key, (line.claimed, None))
            amount = money(amount, "approved")
            if not ZERO <= amount <= line.claimed:
                raise InvalidValue("approved", f"must be between 0 and the {line.claimed} claimed")
            if amount < line.claimed and reason not in _REASONS:
                raise InvalidValue("reason_code", "a line approved for less than claimed needs a reason code")
            decided.append(replace(line, approved=amount, reason_code=reason if amount < line.claimed else None))
        self.lines = decided
        self._enter(ClaimStatus.APPROVED, on, actor, at)

    def reject(self, reason_code: str, on: date, actor: Actor, at: datetime) -> None:
        if reason_code not in _REASONS:
            raise InvalidValue("reason_code", f"must be one of {', '.join(sorted(_REASONS))}")
        self._check(ClaimStatus.REJECTED, on, at)
        self.lines = [replace(line, approved=ZERO, reason_code=reason_code) for line in self.lines]
        self._enter(ClaimStatus.REJECTED, on, actor, at)

    def pay(
        self, reference: str, paid_on: date, amount: Decimal, actor: Actor, at: datetime
    ) -> dict[tuple[UUID, UUID], Decimal]:
        """Record the funder's payment; returns how it settles each line (in line order, up to each approval)."""
        self._check(ClaimStatus.PAID, paid_on, at)
        if not _PAYMENT_REFERENCE.fullmatch(reference):
            raise InvalidValue("reference", "must be a code of at most 64 characters")
        amount = money(amount, "amount")
        if not ZERO < amount <= self.approved:
            raise InvalidValue("amount", f"must be above 0 and at most the {self.approved} approved")
        settled: dict[tuple[UUID, UUID], Decimal] = {}
        left = amount
        for line in self.lines:
            part = min(left, line.approved or ZERO)
            if part:
                settled[line.key] = part
                left -= part
        self.payment = Payment(reference, paid_on, amount)
        self._enter(ClaimStatus.PAID, paid_on, actor, at)
        return settled

    def reconcile(self, on: date, actor: Actor, at: datetime) -> None:
        self._enter(ClaimStatus.RECONCILED, on, actor, at)

    @property
    def last_date(self) -> date:
        return self.history[-1].on if self.history else self.period_start

    def _require(self, status: ClaimStatus, attempted: str) -> None:
        if self.status is not status:
            raise IllegalTransition("claim", self.status, attempted, tuple(_NEXT[self.status]))

    def _check(self, to: ClaimStatus, on: date, at: datetime) -> None:
        if to not in _NEXT[self.status]:
            raise IllegalTransition("claim", self.status, f"make {to}", tuple(_NEXT[self.status]))
        if on < self.last_date:
            raise DatesOutOfOrder("on", self.last_date.isoformat())
        if on > as_utc(at).date():
            raise InvalidValue("on", "cannot be in the future")

    def _enter(self, to: ClaimStatus, on: date, actor: Actor, at: datetime, comment: str | None = None) -> None:
        self._check(to, on, at)
        self.history.append(ClaimTransition(self.status, to, on, as_utc(at), actor.subject, actor.org_id, comment))
        self.status = to
