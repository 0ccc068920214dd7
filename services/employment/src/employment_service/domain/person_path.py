"""What the employment service knows of one person's path, from enrolment's and training's events.

Events arrive at least once and in any order, so every change is monotone: the step only rises, a path
once left stays left, an erased person stays erased. Applying an event twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

TRADE_QUALIFICATION_STEP = 4
KPI_FROM_STEP = 3  # the headline KPI counts those who left after starting step 3 (DESIGN.md §7)


class PathState(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    ERASED = "erased"


@dataclass
class PersonPath:
    beneficiary_id: UUID
    step: int | None = None  # the highest step started
    state: PathState = PathState.ACTIVE
    left_on: date | None = None
    withdrawal_reason: str | None = None
    cohort_id: UUID | None = None
    training_provider_org_id: UUID | None = None
    support_provider_org_id: UUID | None = None
    qualification_result_in: bool = False
    # The person's consent to data sharing with partners (enrolment's `consent_changed`): France Travail sees
    # their follow-ups only while it is given. `decided_at` is the time of the decision applied, so that a
    # late or repeated event never undoes a newer one.
    shares_with_public_employment: bool = False
    data_sharing_decided_at: datetime | None = None

    def step_started(self, step: int, cohort_id: UUID | None = None) -> None:
        self.step = max(self.step or 0, step)
        self.cohort_id = cohort_id or self.cohort_id

    def providers(self, training_provider_org_id: UUID | None, support_provider_org_id: UUID | None) -> None:
        self.training_provider_org_id = training_provider_org_id or self.training_provider_org_id
        self.support_provider_org_id = support_provider_org_id or self.support_provider_org_id

    def withdrawn(self, reason: str, last_step: int | None, on: date) -> None:
        if last_step is not None:
            self.step = max(self.step or 0, last_step)
        if self.state is PathState.ACTIVE:
            self.state, self.withdrawal_reason, self.left_on = PathState.WITHDRAWN, reason, on

    def completed(self, on: date) -> None:
        if self.state is PathState.ACTIVE:
            self.state, self.left_on = PathState.COMPLETED, on

    def data_sharing_consent(self, given: bool, at: datetime) -> bool:
        """Apply a consent decision unless a newer one is already applied; True when it was applied.

        Two decisions at the same instant cannot be ordered: the withdrawal wins, since showing a person's
        follow-ups to someone they refused is the worse mistake."""
        decided = self.data_sharing_decided_at
        if decided is not None and at < decided:
            return False
        if at == decided and (given or not self.shares_with_public_employment):
            return False  # the same instant again: only a withdrawal over a given consent changes anything
        self.shares_with_public_employment, self.data_sharing_decided_at = given, at
        return True

    def erased(self) -> None:
        self.state = PathState.ERASED
        self.withdrawal_reason = None
        self.shares_with_public_employment = False

    @property
    def left(self) -> bool:
        return self.state in (PathState.WITHDRAWN, PathState.COMPLETED)

    @property
    def expects_outcome(self) -> bool:
        """An exit outcome is due for whoever left, and may be recorded ahead for someone finishing step 4
        (the path completes only once it is in)."""
        return self.left or (self.state is PathState.ACTIVE and self.step == TRADE_QUALIFICATION_STEP)

    @property
    def counts_in_kpi(self) -> bool:
        return self.left and (self.step or 0) >= KPI_FROM_STEP
