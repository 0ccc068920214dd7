"""Domain errors. Each has a short machine `code` and a human `detail`; the API maps them to problems."""

from typing import ClassVar
from uuid import UUID


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"

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


class PrerequisitesNotMet(DomainError):
    code = "prerequisites_not_met"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CohortFull(DomainError):
    code = "cohort_full"

    def __init__(self, cohort_id: UUID, capacity: int) -> None:
        super().__init__(f"cohort {cohort_id} already has its {capacity} members")
        self.cohort_id = cohort_id
        self.capacity = capacity


class NotEligibleForCohort(DomainError):
    code = "not_eligible_for_cohort"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


class AlreadyErased(DomainError):
    code = "beneficiary_erased"

    def __init__(self, beneficiary_id: UUID) -> None:
        super().__init__(f"the identity of beneficiary {beneficiary_id} has been erased")
        self.beneficiary_id = beneficiary_id


class UnknownSector(DomainError):
    code = "unknown_sector"

    def __init__(self, sector_code: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown sector {sector_code!r}; known sectors: {', '.join(known)}")
        self.sector_code = sector_code
        self.known = known


class InvalidValue(DomainError):
    """One value refused, or several (``others``) when a rule checks several fields of one request: the caller
    hears every refusal at once instead of one per round trip."""

    code = "invalid_value"

    def __init__(self, field: str, reason: str, *others: tuple[str, str]) -> None:
        self.refusals: tuple[tuple[str, str], ...] = ((field, reason), *others)
        super().__init__("; ".join(f"{name}: {why}" for name, why in self.refusals))
        self.field = field
        self.reason = reason


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
