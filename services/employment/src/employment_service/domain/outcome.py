"""Exit outcomes: a person's situation when they leave the path, with where the evidence comes from."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from employment_service.domain.errors import InvalidValue, OutcomeAlreadyRecorded, Unprocessable
from employment_service.domain.events import DomainEvent, OutcomeRecorded
from employment_service.domain.follow_up import FollowUp, schedule_follow_ups
from employment_service.domain.observation import Observation
from employment_service.domain.person_path import PersonPath
from employment_service.domain.quantities import as_utc


@dataclass(frozen=True)
class ExitOutcome:
    beneficiary_id: UUID
    exit_on: date
    observation: Observation
    recorded_at: datetime


def record_exit_outcome(
    *,
    path: PersonPath,
    exit_on: date,
    observation: Observation,
    existing: ExitOutcome | None,
    at: datetime,
) -> tuple[ExitOutcome, list[FollowUp], list[DomainEvent]]:
    """The outcome once per person, with its 3-, 6- and 12-month follow-ups scheduled from the exit date."""
    beneficiary_id = path.beneficiary_id
    if existing is not None:
        raise OutcomeAlreadyRecorded(beneficiary_id)
    if not path.expects_outcome:
        raise Unprocessable("path_not_ending", "an exit outcome is recorded in step 4 or once the path is left")
    at = as_utc(at)
    if exit_on > at.date():
        raise InvalidValue("exit_on", "cannot be in the future")
    outcome = ExitOutcome(beneficiary_id, exit_on, observation, at)
    recorded = OutcomeRecorded(
        beneficiary_id=beneficiary_id,
        outcome_code=observation.code,
        exit_on=exit_on,
        employer_id=observation.employer_id,
        weekly_hours=observation.weekly_hours,
        evidence_source=observation.evidence,
        counts_as_employed=observation.employed,
        occurred_at=at,
    )
    return outcome, schedule_follow_ups(beneficiary_id, exit_on), [recorded]
