"""Request and response bodies of residences and placements. Dates: `ends_on` is the morning the stay ends."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from support_service.domain.housing import Bed, Placement, Residence
from support_service.domain.vocabulary import PlacementStatus

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class PeriodIn(BaseModel):
    """Open from the night of `starts_on` to the morning of `ends_on`: at least one night."""

    model_config = ConfigDict(extra="forbid")
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _one_night_at_least(self) -> PeriodIn:
        if self.ends_on <= self.starts_on:
            raise ValueError("ends_on must be after starts_on")
        return self


class RoomIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    room: Code
    beds: int = Field(ge=1, le=20)


class ResidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    commune_code: Code
    department_code: Code
    open_periods: list[PeriodIn] = Field(min_length=1, max_length=50)
    rooms: list[RoomIn] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _periods_apart(self) -> ResidenceIn:
        periods = sorted(self.open_periods, key=lambda p: p.starts_on)
        if any(later.starts_on < earlier.ends_on for earlier, later in itertools.pairwise(periods)):
            raise ValueError("open periods must not overlap")
        return self


class BedOut(BaseModel):
    id: UUID
    room: str


class PeriodOut(BaseModel):
    starts_on: date
    ends_on: date


class ResidenceOut(BaseModel):
    id: UUID
    owner_org_id: UUID
    label: str
    commune_code: str
    department_code: str
    open_periods: list[PeriodOut]
    beds: list[BedOut]

    @classmethod
    def of(cls, r: Residence, label: str, beds: list[Bed]) -> ResidenceOut:
        return cls(
            id=r.id,
            owner_org_id=r.owner_org_id,
            label=label,
            commune_code=r.commune_code,
            department_code=r.department_code,
            open_periods=[PeriodOut(starts_on=p.start, ends_on=p.end) for p in r.open_periods],
            beds=[BedOut(id=b.id, room=b.room) for b in beds],
        )


class PlacementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    beneficiary_id: UUID
    bed_id: UUID
    starts_on: date
    ends_on: date


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date


class PlacementOut(BaseModel):
    id: UUID
    beneficiary_id: UUID
    residence_id: UUID
    bed_id: UUID
    starts_on: date
    ends_on: date
    status: PlacementStatus

    @classmethod
    def of(cls, p: Placement) -> PlacementOut:
        return cls(
            id=p.id,
            beneficiary_id=p.beneficiary_id,
            residence_id=p.residence_id,
            bed_id=p.bed_id,
            starts_on=p.nights.start,
            ends_on=p.nights.end,
            status=p.status,
        )
