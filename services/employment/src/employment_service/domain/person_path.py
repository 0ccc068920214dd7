"""What the employment service knows of one person's path, from enrolment's and training's events.

Events arrive at least once and in any order, so every change is monotone: the step only rises, a path
once left stays left, an erased person stays erased. Applying an event twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date
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
    shares_with_public_employment: bool = False  # consent given in enrolment (see PLAN.md: event needed)

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

    def erased(self) -> None:
        self.state = PathState.ERASED
        self.withdrawal_reason = None

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
