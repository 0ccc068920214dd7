"""What an indicator reads of a person: the pseudonymous facts the read models hold, in the programme's words.

The adapters read them from the fact tables; the unit tests write them by hand. Dates are calendar dates (the
day an event says something happened); amounts are ``Decimal`` euros; hours are ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

# DESIGN.md §7: the exit outcomes the headline KPI counts as employment.
EMPLOYED_OUTCOMES = frozenset({"cdi", "cdd_6m_plus", "interim", "work_study"})
# The statuses of someone still on the path (on hold included): "people per step now".
ON_THE_PATH = (
    "registered",
    "prerequisites",
    "pre_orientation",
    "french_qualification",
    "trade_qualification",
    "on_hold",
)
FOLLOW_UP_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class FollowUp:
    status: str  # done | unreachable (a follow-up not recorded has no row)
    outcome_code: str | None = None


@dataclass(frozen=True)
class AttendanceMonth:
    recorded: Decimal
    attended: Decimal


@dataclass(frozen=True)
class Money:
    """A person's money on one agreement of one funder. committed: the money engaged, as funding's ledger counts
    it (still committed + consumed, beyond a commitment too): made - released + consumed beyond commitments."""

    funder_id: UUID
    agreement_id: UUID
    committed: Decimal = Decimal(0)
    consumed: Decimal = Decimal(0)
    claimed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)


@dataclass(frozen=True)
class HousingPlacement:
    """A placement's nights [starts_on, ends_on), cut short by released_on (dates unknown until assigned)."""

    starts_on: date | None
    ends_on: date | None
    released_on: date | None = None

    def covers(self, night: date) -> bool:
        if self.starts_on is None or self.ends_on is None:
            return False
        return self.starts_on <= night < self.ends_on and (self.released_on is None or self.released_on > night)


@dataclass(frozen=True)
class WorkStudyContract:
    contract_type: str  # apprenticeship | professionalisation | cdpi | cddi | other
    signed_on: date


@dataclass(frozen=True)
class PersonFacts:
    beneficiary_id: UUID
    # Grouping dimensions: region, sector, cohort, provider (training provider), track.
    dimensions: Mapping[str, str | None] = field(default_factory=dict)
    registered_on: date | None = None
    status: str | None = None
    withdrawn_on: date | None = None
    withdrawal_reason: str | None = None
    completed_on: date | None = None
    step_started: Mapping[int, date] = field(default_factory=dict)
    step_completed: Mapping[int, date] = field(default_factory=dict)
    level_after_step3: str | None = None
    qualification_result: str | None = None
    qualification_on: date | None = None
    exit_outcome: str | None = None
    follow_ups: Mapping[int, FollowUp] = field(default_factory=dict)
    attendance: Mapping[date, AttendanceMonth] = field(default_factory=dict)
    money: tuple[Money, ...] = ()
    housing: tuple[HousingPlacement, ...] = ()
    contracts: tuple[WorkStudyContract, ...] = ()

    @property
    def left_on(self) -> date | None:
        """The day the person left the path: withdrawn or completed."""
        return self.withdrawn_on or self.completed_on
