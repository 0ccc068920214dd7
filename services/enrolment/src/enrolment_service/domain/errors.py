"""Why the pathway, a cohort or a registration refuses a change. The kit answers each by its ``category``
(``conflict``: 409, ``unprocessable``: 422) with its ``code`` as the problem type, its ``detail``, and what
``details()`` adds for a partner to react; none of them repeats what the caller sent."""

from datetime import date
from typing import Any, ClassVar
from uuid import UUID


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    category: ClassVar[str] = "conflict"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class IllegalTransition(DomainError):
    code = "illegal_transition"

    def __init__(self, current: str, attempted: str, allowed: tuple[str, ...]) -> None:
        names = ", ".join(allowed) or "none, the pathway is closed"
        super().__init__(f"cannot {attempted} while the pathway is {current}; allowed now: {names}")
        self.current = current
        self.attempted = attempted
        self.allowed = allowed

    def details(self) -> dict[str, Any]:
        return {"current_status": self.current, "allowed_actions": list(self.allowed)}


class PrerequisitesNotMet(DomainError):
    code = "prerequisites_not_met"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StepNotReady(DomainError):
    """Step 4 cannot start yet: each unmet condition is named, all of them at once."""

    code = "step_not_ready"

    def __init__(self, unmet: tuple[str, ...], reasons: tuple[str, ...], starts_on: date | None = None) -> None:
        super().__init__("; ".join(reasons))
        self.unmet = unmet
        self.starts_on = starts_on

    def details(self) -> dict[str, Any]:
        found: dict[str, Any] = {"unmet": list(self.unmet)}
        if self.starts_on is not None:
            found["step_4_starts_on"] = self.starts_on.isoformat()
        return found


class CohortFull(DomainError):
    code = "cohort_full"

    def __init__(self, cohort_id: UUID, capacity: int) -> None:
        super().__init__(f"cohort {cohort_id} already has its {capacity} members")
        self.cohort_id = cohort_id
        self.capacity = capacity

    def details(self) -> dict[str, Any]:
        return {"capacity": self.capacity}


class NotEligibleForCohort(DomainError):
    code = "not_eligible_for_cohort"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlreadyCohortMember(DomainError):
    """Adding a member again with another join date: the date is not changed by a second addition."""

    code = "already_cohort_member"

    def __init__(self, cohort_id: UUID, joined_on: date | None) -> None:
        since = f" since {joined_on.isoformat()}" if joined_on is not None else ""
        super().__init__(f"the beneficiary is already a member of cohort {cohort_id}{since}")
        self.joined_on = joined_on

    def details(self) -> dict[str, Any]:
        return {"joined_on": self.joined_on.isoformat() if self.joined_on is not None else None}


class SectorFixedByCohort(DomainError):
    code = "sector_fixed_by_cohort"

    def __init__(self, cohort_id: UUID, sector_code: str) -> None:
        super().__init__(f"the beneficiary is in cohort {cohort_id}, whose sector is {sector_code}")
        self.cohort_id = cohort_id
        self.sector_code = sector_code


class DuplicateBeneficiary(DomainError):
    code = "duplicate_beneficiary"

    def __init__(self, existing_id: UUID) -> None:
        super().__init__(f"this person is already registered as beneficiary {existing_id}")
        self.existing_id = existing_id

    def details(self) -> dict[str, Any]:
        return {"existing_id": str(self.existing_id)}


class AlreadyErased(DomainError):
    code = "beneficiary_erased"

    def __init__(self, beneficiary_id: UUID) -> None:
        super().__init__(f"the identity of beneficiary {beneficiary_id} has been erased")
        self.beneficiary_id = beneficiary_id


class UnknownSector(DomainError):
    code = "unknown_sector"
    category = "unprocessable"

    def __init__(self, sector_code: str, known: tuple[str, ...]) -> None:
        # The code the caller sent is not repeated: problem documents never echo input.
        super().__init__(f"unknown sector; known sectors: {', '.join(known)}")
        self.sector_code = sector_code
        self.known = known

    def details(self) -> dict[str, Any]:
        return {"known_sectors": list(self.known)}


class InvalidValue(DomainError):
    """One value refused, or several (``others``) when a rule checks several fields of one request: the caller
    hears every refusal at once instead of one per round trip."""

    code = "invalid_value"
    category = "unprocessable"

    def __init__(self, field: str, reason: str, *others: tuple[str, str]) -> None:
        self.refusals: tuple[tuple[str, str], ...] = ((field, reason), *others)
        super().__init__("; ".join(f"{name}: {why}" for name, why in self.refusals))
        self.field = field
        self.reason = reason

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": field, "message": reason} for field, reason in self.refusals]}


class Refusals:
    """Collects the refused values of one request, then raises them together as one InvalidValue."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, field: str, reason: str) -> None:
        self.found.append((field, reason))

    def raise_any(self) -> None:
        if self.found:
            (field, reason), *others = self.found
            raise InvalidValue(field, reason, *others)
