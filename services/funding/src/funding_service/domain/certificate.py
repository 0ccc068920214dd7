"""The certificate of completion (certificat de réalisation) of one person for one training action.

A plain structure with the figures a funder checks; the PDF and JSON renderings are made from it outside
the domain. The hours are those the training service attested, as the latest sheets say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from funding_service.domain.consumption import PersonHours
from funding_service.domain.errors import InvalidValue


@dataclass(frozen=True)
class TrainingAction:
    """What was delivered: the course, its step, its title as the provider names it, and who delivered it."""

    course_id: UUID
    step: int
    title: str
    provider_org_id: UUID
    provider_name: str


@dataclass(frozen=True)
class CertificateOfCompletion:
    beneficiary_id: UUID
    action: TrainingAction
    first_day: date
    last_day: date
    hours_planned: Decimal
    hours_present: Decimal
    hours_excused: Decimal
    hours_unexcused: Decimal

    @classmethod
    def of(cls, person: PersonHours, action: TrainingAction) -> CertificateOfCompletion:
        if not person.marks:
            raise InvalidValue("attendance", "a certificate needs at least one attended or marked session")
        days = [mark.held_on for mark in person.marks.values()]
        present, excused, unexcused = person.totals()
        return cls(
            beneficiary_id=person.beneficiary_id,
            action=action,
            first_day=min(days),
            last_day=max(days),
            hours_planned=person.planned_hours,
            hours_present=present,
            hours_excused=excused,
            hours_unexcused=unexcused,
        )

    @property
    def hours_scheduled(self) -> Decimal:
        return self.hours_present + self.hours_excused + self.hours_unexcused
