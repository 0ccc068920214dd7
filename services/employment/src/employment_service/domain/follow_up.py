"""Follow-ups 3, 6 and 12 months after exit: done with an observation, or unreachable after enough tries.

A follow-up nobody could reach is kept and published as `unreachable`: the KPI counts it, never drops it.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from employment_service.domain.errors import IllegalTransition, InvalidValue, Unprocessable
from employment_service.domain.events import DomainEvent, FollowUpRecorded
from employment_service.domain.observation import Observation
from employment_service.domain.quantities import as_utc
from employment_service.domain.vocabulary import FollowUpStatus

FOLLOW_UP_MONTHS = (3, 6, 12)
# Unreachable is a finding, not a shortcut: at least this many failed contact attempts, recorded one by one.
UNREACHABLE_AFTER_ATTEMPTS = 3
# A follow-up may be answered a little before its due date (the call is made in the week before).
EARLY_WINDOW = timedelta(days=15)


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter (31 Aug + 3 → 30 Nov,
    29 Feb + 12 → 28 Feb): the rule of dateutil's relativedelta, which the tests check this against."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def schedule_follow_ups(beneficiary_id: UUID, exit_on: date) -> list["FollowUp"]:
    return [
        FollowUp(id=uuid4(), beneficiary_id=beneficiary_id, months_after_exit=m, due_on=add_months(exit_on, m))
        for m in FOLLOW_UP_MONTHS
    ]


@dataclass
class FollowUp:
    id: UUID
    beneficiary_id: UUID
    months_after_exit: int
    due_on: date
    status: FollowUpStatus = FollowUpStatus.DUE
    attempts: list[datetime] = field(default_factory=list)
    observed_on: date | None = None
    observation: Observation | None = None

    def is_overdue(self, today: date) -> bool:
        return self.status is FollowUpStatus.DUE and today > self.due_on

    def record_failed_attempt(self, at: datetime) -> None:
        self._require_due("record an attempt on")
        self.attempts.append(as_utc(at))

    def complete(self, observation: Observation, observed_on: date, at: datetime) -> list[DomainEvent]:
        self._require_due("complete")
        at = as_utc(at)
        if observed_on > at.date():
            raise InvalidValue("observed_on", "cannot be in the future")
        if observed_on < self.due_on - EARLY_WINDOW:
            raise InvalidValue("observed_on", f"cannot be more than {EARLY_WINDOW.days} days before the due date")
        self.status = FollowUpStatus.DONE
        self.observed_on = observed_on
        self.observation = observation
        return [self._recorded(at)]

    def mark_unreachable(self, at: datetime) -> list[DomainEvent]:
        self._require_due("mark unreachable")
        if len(self.attempts) < UNREACHABLE_AFTER_ATTEMPTS:
            raise Unprocessable(
                "too_few_attempts", f"a person is unreachable after {UNREACHABLE_AFTER_ATTEMPTS} recorded attempts"
            )
        self.status = FollowUpStatus.UNREACHABLE
        return [self._recorded(as_utc(at))]

    def _recorded(self, at: datetime) -> FollowUpRecorded:
        seen = self.observation
        return FollowUpRecorded(
            follow_up_id=self.id,
            beneficiary_id=self.beneficiary_id,
            months_after_exit=self.months_after_exit,
            due_on=self.due_on,
            status=self.status,
            attempts=len(self.attempts),
            observed_on=self.observed_on,
            outcome_code=seen.code if seen else None,
            evidence_source=seen.evidence if seen else None,
            counts_as_employed=seen.employed if seen else None,
            occurred_at=at,
        )

    def _require_due(self, attempted: str) -> None:
        if self.status is not FollowUpStatus.DUE:
            raise IllegalTransition("follow-up", self.status, attempted, ())
