"""A person's employment situation at one date, with where the evidence comes from."""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from employment_service.domain.errors import InvalidValue
from employment_service.domain.quantities import weekly_hours
from employment_service.domain.vocabulary import JOB_OUTCOMES, EvidenceSource, OutcomeCode, counts_as_employed


@dataclass(frozen=True)
class Observation:
    """A person's situation at one date, the same shape at exit and at each follow-up."""

    code: OutcomeCode
    evidence: EvidenceSource
    employer_id: UUID | None = None
    weekly_hours: Decimal | None = None

    def __post_init__(self) -> None:
        is_job = self.code in JOB_OUTCOMES
        if self.employer_id is not None and not is_job:
            raise InvalidValue("employer_id", "is only given for a job (cdi, cdd, interim, work_study)")
        if self.weekly_hours is not None:
            if not is_job:
                raise InvalidValue("weekly_hours", "are only given for a job (cdi, cdd, interim, work_study)")
            object.__setattr__(self, "weekly_hours", weekly_hours(self.weekly_hours, "weekly_hours"))

    @property
    def employed(self) -> bool:
        return counts_as_employed(self.code)
