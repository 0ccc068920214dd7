"""Domain errors.

Each class names a `category` the kit maps to an HTTP status ("not_found", "forbidden", "conflict",
"invalid", "unprocessable") and a machine `code`. `details()` returns only ids, codes and numbers the
domain produced itself: never text the caller sent, so a problem answer cannot echo health data back.
"""

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

Category = Literal["not_found", "forbidden", "conflict", "invalid", "unprocessable"]
Detail = str | int | bool | None | list[str]


class DomainError(Exception):
    category: ClassVar[Category] = "unprocessable"
    code: ClassVar[str] = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def details(self) -> dict[str, Detail]:
        return {"code": self.code}


class NotFound(DomainError):
    category = "not_found"
    code = "not_found"

    def __init__(self, kind: str, item_id: UUID) -> None:
        super().__init__(f"no {kind} {item_id}")
        self.kind = kind
        self.item_id = item_id

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "kind": self.kind, "id": str(self.item_id)}


class AccessDenied(DomainError):
    """Raised for writes and for reads of something the caller already knows exists.

    A read of a note the caller may not see is answered as `NotFound` by the service layer instead, so the
    existence of a medical note is never confirmed to someone who may not read it.
    """

    category = "forbidden"
    code = "access_denied"

    def __init__(self, action: str) -> None:
        super().__init__(f"not allowed to {action}")
        self.action = action

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "action": self.action}


class IllegalTransition(DomainError):
    category = "conflict"
    code = "illegal_transition"

    def __init__(self, kind: str, current: str, attempted: str, allowed: tuple[str, ...]) -> None:
        names = ", ".join(allowed) or "none, it is closed"
        super().__init__(f"cannot {attempted} a {kind} that is {current}; allowed now: {names}")
        self.kind = kind
        self.current = current
        self.attempted = attempted
        self.allowed = allowed

    def details(self) -> dict[str, Detail]:
        return {
            "code": self.code,
            "kind": self.kind,
            "current": self.current,
            "attempted": self.attempted,
            "allowed": list(self.allowed),
        }


class InvalidValue(DomainError):
    """A value of the wrong shape. `reason` is written by the domain; the value itself is never kept."""

    category = "invalid"
    code = "invalid_value"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "field": self.field, "reason": self.reason}


class UnknownNeedCode(InvalidValue):
    code = "unknown_need_code"

    def __init__(self) -> None:
        # The code the caller sent is not repeated: it could be anything, health data included.
        super().__init__("code", "is not a code of the needs taxonomy")


class ConsentRequired(DomainError):
    category = "unprocessable"
    code = "consent_required"

    def __init__(self) -> None:
        super().__init__("sharing information with an outside service needs the person's recorded consent")

    def details(self) -> dict[str, Detail]:
        return {"code": self.code}


class ReadReasonRequired(DomainError):
    category = "unprocessable"
    code = "read_reason_required"

    def __init__(self) -> None:
        super().__init__("reading a medical note needs a stated reason code")

    def details(self) -> dict[str, Detail]:
        return {"code": self.code}


class BedTaken(DomainError):
    category = "conflict"
    code = "bed_taken"

    def __init__(self, bed_id: UUID, first_night: date) -> None:
        super().__init__(f"bed {bed_id} is already given to someone on the night of {first_night.isoformat()}")
        self.bed_id = bed_id
        self.first_night = first_night

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "bed_id": str(self.bed_id), "first_night": self.first_night.isoformat()}


class AlreadyHoused(DomainError):
    category = "conflict"
    code = "already_housed"

    def __init__(self, first_night: date) -> None:
        super().__init__(f"the person already has a bed on the night of {first_night.isoformat()}")
        self.first_night = first_night

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "first_night": self.first_night.isoformat()}


class ResidenceClosed(DomainError):
    category = "unprocessable"
    code = "residence_closed"

    def __init__(self, residence_id: UUID, first_night: date) -> None:
        super().__init__(f"residence {residence_id} is not open on the night of {first_night.isoformat()}")
        self.residence_id = residence_id
        self.first_night = first_night

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "residence_id": str(self.residence_id), "first_night": self.first_night.isoformat()}


class FileAlreadyOpen(DomainError):
    category = "conflict"
    code = "file_already_open"

    def __init__(self, beneficiary_id: UUID) -> None:
        super().__init__(f"person {beneficiary_id} already has an open support file with this organisation")
        self.beneficiary_id = beneficiary_id

    def details(self) -> dict[str, Detail]:
        return {"code": self.code, "beneficiary_id": str(self.beneficiary_id)}


class PersonErased(DomainError):
    """Nothing is recreated for a person whose data was erased."""

    category = "unprocessable"
    code = "person_erased"

    def __init__(self) -> None:
        super().__init__("this person's data was erased: nothing can be recorded about them")


class NotSupportProvider(DomainError):
    category = "forbidden"
    code = "not_support_provider"

    def __init__(self) -> None:
        super().__init__("only the support provider of the person's cohort opens their file")
