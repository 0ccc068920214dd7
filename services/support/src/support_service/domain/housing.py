"""Residences, beds and placements; a bed is never given to two people on the same night."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from support_service.domain.actor import Actor
from support_service.domain.errors import AlreadyHoused, BedTaken, IllegalTransition, InvalidValue, ResidenceClosed
from support_service.domain.events import HousingAssigned, HousingReleased
from support_service.domain.instants import as_utc, checked_code
from support_service.domain.nights import Nights, first_uncovered
from support_service.domain.vocabulary import PlacementStatus


@dataclass(frozen=True)
class Bed:
    id: UUID
    residence_id: UUID
    room: str  # the room's code in the residence

    def __post_init__(self) -> None:
        checked_code("room", self.room)


@dataclass(frozen=True)
class Residence:
    id: UUID
    owner_org_id: UUID
    commune_code: str  # INSEE commune code
    department_code: str
    open_periods: tuple[Nights, ...]

    def __post_init__(self) -> None:
        checked_code("commune_code", self.commune_code)
        checked_code("department_code", self.department_code)

    def closed_night_in(self, stay: Nights) -> date | None:
        """The first night of `stay` outside every open period."""
        return first_uncovered(stay, self.open_periods)


@dataclass(frozen=True)
class PlacementChange:
    from_status: PlacementStatus | None
    to_status: PlacementStatus
    at: datetime
    actor: str
    actor_org_id: UUID


@dataclass
class Placement:
    id: UUID
    beneficiary_id: UUID
    residence_id: UUID
    bed_id: UUID
    nights: Nights  # shortened on release; empty when released before the first night
    status: PlacementStatus
    history: list[PlacementChange] = field(default_factory=list)

    @classmethod
    def assign(
        cls,
        *,
        placement_id: UUID,
        beneficiary_id: UUID,
        residence: Residence,
        bed: Bed,
        nights: Nights,
        placements_of_bed: Iterable["Placement"],
        placements_of_person: Iterable["Placement"],
        actor: Actor,
        at: datetime,
    ) -> tuple["Placement", HousingAssigned]:
        """Checks the bed-night rule against the placements the caller loaded for this bed and this person.

        The caller holds the bed's rows locked (or relies on the database's exclusion constraint), so two
        concurrent assignments cannot both pass.
        """
        at = as_utc(at)
        if nights.is_empty:
            raise InvalidValue("ends_on", "must be after starts_on")
        if bed.residence_id != residence.id:
            raise InvalidValue("bed_id", "is not a bed of this residence")
        closed = residence.closed_night_in(nights)
        if closed is not None:
            raise ResidenceClosed(residence.id, closed)
        check_bed_free(bed.id, nights, placements_of_bed)
        taken = first_shared_night(nights, (p for p in placements_of_person if p.beneficiary_id == beneficiary_id))
        if taken is not None:
            raise AlreadyHoused(taken)
        status = PlacementStatus.ACTIVE if nights.start <= at.date() else PlacementStatus.PLANNED
        placement = cls(placement_id, beneficiary_id, residence.id, bed.id, nights, status)
        placement.history.append(PlacementChange(None, status, at, actor.subject, actor.org_id))
        assigned = HousingAssigned(
            placement_id=placement_id,
            beneficiary_id=beneficiary_id,
            residence_id=residence.id,
            bed_id=bed.id,
            starts_on=nights.start,
            ends_on=nights.end,
            occurred_at=at,
        )
        return placement, assigned

    @property
    def is_ended(self) -> bool:
        return self.status is PlacementStatus.ENDED

    def activate(self, actor: Actor, at: datetime) -> None:
        if self.status is not PlacementStatus.PLANNED:
            raise IllegalTransition("placement", self.status, "activate", self._allowed())
        self._change(PlacementStatus.ACTIVE, actor, at)

    def release(self, on: date, actor: Actor, at: datetime) -> HousingReleased:
        """Ends the stay the morning of `on` (withdrawal, completion, move): the bed is free from that night."""
        if self.is_ended:
            raise IllegalTransition("placement", self.status, "release", self._allowed())
        end = min(self.nights.end, max(on, self.nights.start))
        self.nights = Nights(self.nights.start, end)
        at = self._change(PlacementStatus.ENDED, actor, at)
        return HousingReleased(
            placement_id=self.id,
            beneficiary_id=self.beneficiary_id,
            residence_id=self.residence_id,
            bed_id=self.bed_id,
            released_on=end,
            occurred_at=at,
        )

    def _allowed(self) -> tuple[str, ...]:
        return {
            PlacementStatus.PLANNED: ("activate", "release"),
            PlacementStatus.ACTIVE: ("release",),
            PlacementStatus.ENDED: (),
        }[self.status]

    def _change(self, to: PlacementStatus, actor: Actor, at: datetime) -> datetime:
        at = as_utc(at)
        self.history.append(PlacementChange(self.status, to, at, actor.subject, actor.org_id))
        self.status = to
        return at


def first_shared_night(nights: Nights, placements: Iterable[Placement]) -> date | None:
    shared = [nights.intersection(p.nights).start for p in placements if p.nights.overlaps(nights)]
    return min(shared, default=None)


def check_bed_free(bed_id: UUID, nights: Nights, placements: Iterable[Placement]) -> None:
    """The bed-night rule: no night of `nights` is already given on this bed.

    Released placements keep only the nights actually used, so a freed bed is bookable from the release date.
    """
    taken = first_shared_night(nights, (p for p in placements if p.bed_id == bed_id))
    if taken is not None:
        raise BedTaken(bed_id, taken)
