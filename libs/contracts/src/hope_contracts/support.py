"""Events published by the support service on ``hope.support.events``: ids, codes, dates and counts only.

Nothing here may say anything about health: the need categories and referral partners are closed lists
that leave out ``medical`` and health centres, so such a payload cannot even be built.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from hope_contracts.base import EventContract

EndReason = Literal["path_completed", "withdrawn", "transferred", "lost_contact", "other"]
PublishedNeedCategory = Literal["administrative", "social", "professional", "civic", "housing", "catering"]
NeedOutcome = Literal["resolved", "abandoned"]
PublishedPartner = Literal["cpam", "caf", "prefecture", "mission_locale", "france_travail", "other"]


class SupportFileOpened(EventContract):
    event_type: ClassVar[str] = "fr.hope.support.support_file.opened.v1"
    subject_field: ClassVar[str] = "file_id"

    file_id: UUID
    beneficiary_id: UUID
    support_org_id: UUID
    cohort_id: UUID | None = None
    occurred_at: datetime


class SupportFileClosed(EventContract):
    event_type: ClassVar[str] = "fr.hope.support.support_file.closed.v1"
    subject_field: ClassVar[str] = "file_id"

    file_id: UUID
    beneficiary_id: UUID
    support_org_id: UUID
    end_reason: EndReason
    occurred_at: datetime


class NeedOpened(EventContract):
    """A non-medical need was identified: its category only, never the need's own code."""

    event_type: ClassVar[str] = "fr.hope.support.need.opened.v1"
    subject_field: ClassVar[str] = "need_id"

    need_id: UUID
    file_id: UUID
    beneficiary_id: UUID
    category: PublishedNeedCategory
    occurred_at: datetime


class NeedResolved(EventContract):
    """A non-medical need left the open states, resolved or abandoned."""

    event_type: ClassVar[str] = "fr.hope.support.need.resolved.v1"
    subject_field: ClassVar[str] = "need_id"

    need_id: UUID
    file_id: UUID
    beneficiary_id: UUID
    category: PublishedNeedCategory
    outcome: NeedOutcome
    occurred_at: datetime


class ReferralMade(EventContract):
    event_type: ClassVar[str] = "fr.hope.support.referral.made.v1"
    subject_field: ClassVar[str] = "referral_id"

    referral_id: UUID
    file_id: UUID
    beneficiary_id: UUID
    partner: PublishedPartner
    shares_information: bool
    occurred_at: datetime


class HousingAssigned(EventContract):
    """A bed for the nights [starts_on, ends_on): ends_on is the morning the person leaves."""

    event_type: ClassVar[str] = "fr.hope.support.housing.assigned.v1"
    subject_field: ClassVar[str] = "placement_id"

    placement_id: UUID
    beneficiary_id: UUID
    residence_id: UUID
    bed_id: UUID
    starts_on: date
    ends_on: date
    occurred_at: datetime


class HousingReleased(EventContract):
    event_type: ClassVar[str] = "fr.hope.support.housing.released.v1"
    subject_field: ClassVar[str] = "placement_id"

    placement_id: UUID
    beneficiary_id: UUID
    residence_id: UUID
    bed_id: UUID
    released_on: date
    occurred_at: datetime


class MealsEntitled(EventContract):
    """A person's meal entitlement for one month (``month`` is its first day), as counts per meal."""

    event_type: ClassVar[str] = "fr.hope.support.catering.meals_entitled.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    month: date
    breakfasts: int = Field(ge=0, le=31)
    lunches: int = Field(ge=0, le=31)
    dinners: int = Field(ge=0, le=31)
    occurred_at: datetime
