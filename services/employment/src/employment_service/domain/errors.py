"""Domain errors.

Each class names a `category` the kit maps to an HTTP status, a short machine `code`, and `details()`: only
values the domain itself chose (field names, codes, ids, limits), never the caller's free text echoed back.
"""

from typing import Any, ClassVar, Literal
from uuid import UUID

Category = Literal["not_found", "forbidden", "conflict", "invalid", "unprocessable"]


class DomainError(Exception):
    category: ClassVar[Category] = "unprocessable"
    code: ClassVar[str] = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def details(self) -> dict[str, Any]:
        return {}


class InvalidValue(DomainError):
    """A value is malformed. `reason` is written by the domain and never quotes the value."""

    category = "invalid"
    code = "invalid_value"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def details(self) -> dict[str, Any]:
        return {"field": self.field, "reason": self.reason}


class UnknownCode(DomainError):
    """A code outside a closed list; the list is ours, so naming it is safe, the refused value is not."""

    category = "invalid"
    code = "unknown_code"

    def __init__(self, field: str, known: tuple[str, ...]) -> None:
        super().__init__(f"{field}: not one of {', '.join(known)}")
        self.field = field
        self.known = known

    def details(self) -> dict[str, Any]:
        return {"field": self.field, "known": list(self.known)}


class IllegalTransition(DomainError):
    category = "conflict"
    code = "illegal_transition"

    def __init__(self, aggregate: str, current: str, attempted: str, allowed: tuple[str, ...]) -> None:
        names = ", ".join(allowed) or "none, it is closed"
        super().__init__(f"cannot {attempted} a {aggregate} that is {current}; allowed now: {names}")
        self.aggregate = aggregate
        self.current = current
        self.attempted = attempted
        self.allowed = allowed

    def details(self) -> dict[str, Any]:
        return {
            "aggregate": self.aggregate,
            "current": self.current,
            "attempted": self.attempted,
            "allowed": list(self.allowed),
        }


class NotFound(DomainError):
    category = "not_found"
    code = "not_found"

    def __init__(self, kind: str, id: UUID) -> None:
        super().__init__(f"no {kind} {id}")
        self.kind = kind
        self.id = id

    def details(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": str(self.id)}


class EstablishmentOfAnotherEmployer(DomainError):
    """A contract, vacancy or placement names an establishment its employer does not own."""

    category = "forbidden"
    code = "establishment_of_another_employer"

    def __init__(self, establishment_id: UUID) -> None:
        super().__init__(f"establishment {establishment_id} does not belong to this employer")
        self.establishment_id = establishment_id

    def details(self) -> dict[str, Any]:
        return {"establishment_id": str(self.establishment_id)}


class ActiveContractExists(DomainError):
    category = "conflict"
    code = "active_contract_exists"

    def __init__(self, beneficiary_id: UUID, contract_id: UUID) -> None:
        super().__init__(f"beneficiary {beneficiary_id} already has work-study contract {contract_id} running")
        self.beneficiary_id = beneficiary_id
        self.contract_id = contract_id

    def details(self) -> dict[str, Any]:
        return {"beneficiary_id": str(self.beneficiary_id), "contract_id": str(self.contract_id)}


class ImmersionCapExceeded(DomainError):
    category = "unprocessable"
    code = "immersion_cap_exceeded"

    def __init__(self, cap_hours: str, already_hours: str, requested_hours: str) -> None:
        super().__init__(
            f"immersion is capped at {cap_hours} h for this step; {already_hours} h already placed, "
            f"{requested_hours} h asked"
        )
        self.cap_hours = cap_hours
        self.already_hours = already_hours
        self.requested_hours = requested_hours

    def details(self) -> dict[str, Any]:
        return {
            "cap_hours": self.cap_hours,
            "already_hours": self.already_hours,
            "requested_hours": self.requested_hours,
        }


class OutcomeAlreadyRecorded(DomainError):
    category = "conflict"
    code = "outcome_already_recorded"

    def __init__(self, beneficiary_id: UUID) -> None:
        super().__init__(f"the exit outcome of beneficiary {beneficiary_id} is already recorded")
        self.beneficiary_id = beneficiary_id

    def details(self) -> dict[str, Any]:
        return {"beneficiary_id": str(self.beneficiary_id)}


class Unprocessable(DomainError):
    """A well-formed request the current state does not allow; `rule` is a code, `reason` the domain's words."""

    category = "unprocessable"
    code = "rule_not_met"

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule

    def details(self) -> dict[str, Any]:
        return {"rule": self.rule}
