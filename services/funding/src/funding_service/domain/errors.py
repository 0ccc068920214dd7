"""Domain errors. Each has a machine ``code``, a ``category`` the kit maps to an HTTP status, a human
``detail``, and ``details()``: problem fields safe to show the caller (ids, codes, decimal strings; never
the caller's own free text echoed back).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

Category = Literal["not_found", "forbidden", "conflict", "invalid", "unprocessable"]


class FundingError(Exception):
    code: ClassVar[str] = "funding_error"
    category: ClassVar[Category] = "unprocessable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def details(self) -> dict[str, str]:
        return {}


class InvalidValue(FundingError):
    code = "invalid_value"
    category = "invalid"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def details(self) -> dict[str, str]:
        return {"field": self.field}


class NotFound(FundingError):
    code = "not_found"
    category = "not_found"

    def __init__(self, what: str, key: UUID | str) -> None:
        super().__init__(f"no {what} {key}")
        self.what = what
        self.key = str(key)

    def details(self) -> dict[str, str]:
        return {"resource": self.what}


class IllegalTransition(FundingError):
    code = "illegal_transition"
    category = "conflict"

    def __init__(self, aggregate: str, current: str, attempted: str, allowed: tuple[str, ...]) -> None:
        names = ", ".join(allowed) or "none"
        super().__init__(f"cannot {attempted} a {aggregate} that is {current}; allowed now: {names}")
        self.aggregate = aggregate
        self.current = current
        self.attempted = attempted
        self.allowed = allowed

    def details(self) -> dict[str, str]:
        return {"current_status": self.current, "attempted": self.attempted, "allowed": ",".join(self.allowed)}


class DatesOutOfOrder(FundingError):
    code = "dates_out_of_order"
    category = "unprocessable"

    def __init__(self, field: str, earliest: str) -> None:
        super().__init__(f"{field} cannot be before {earliest}")
        self.field = field
        self.earliest = earliest

    def details(self) -> dict[str, str]:
        return {"field": self.field, "earliest": self.earliest}


class UnbalancedTransaction(FundingError):
    """A bug in whoever built the transaction, never a caller's mistake; refused before anything is kept."""

    code = "unbalanced_transaction"
    category = "unprocessable"

    def __init__(self, debits: Decimal, credits: Decimal) -> None:
        super().__init__(f"debits {debits} differ from credits {credits}")
        self.debits = debits
        self.credits = credits

    def details(self) -> dict[str, str]:
        return {"debits": str(self.debits), "credits": str(self.credits)}


_LIMIT_WORDING = {
    "available": "the commitment exceeds what the budget line has available",
    "committed": "the movement exceeds what is committed",
    "consumed": "the claim exceeds what was consumed and not yet claimed",
    "claimed": "the approval exceeds what was claimed",
    "approved": "the payment exceeds what was approved and not yet paid",
}


class LimitExceeded(FundingError):
    """A posting would take an account below zero: the ledger's "debits must not exceed credits" rule."""

    code = "limit_exceeded"
    category = "conflict"

    def __init__(self, line_id: UUID, stage: str, available: Decimal, requested: Decimal) -> None:
        wording = _LIMIT_WORDING.get(stage, f"the movement exceeds the {stage} balance")
        super().__init__(f"{wording}: {available} available, {requested} requested")
        self.line_id = line_id
        self.stage = stage
        self.available = available
        self.requested = requested

    def details(self) -> dict[str, str]:
        return {
            "budget_line_id": str(self.line_id),
            "stage": self.stage,
            "available": str(self.available),
            "requested": str(self.requested),
        }


class NoFinancingPlan(FundingError):
    code = "no_financing_plan"
    category = "unprocessable"

    def __init__(self, cost_type: str) -> None:
        super().__init__(f"no financing plan pays for {cost_type} here")
        self.cost_type = cost_type

    def details(self) -> dict[str, str]:
        return {"cost_type": self.cost_type}
