"""Company immersions during step 3 (PMSMP): dates and hours, at most a third of the step's planned hours."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from uuid import UUID, uuid4

from employment_service.domain.employer import Establishment
from employment_service.domain.errors import ImmersionCapExceeded, InvalidValue, Unprocessable
from employment_service.domain.events import DomainEvent, PlacementMade
from employment_service.domain.person_path import PathState, PersonPath
from employment_service.domain.quantities import HUNDREDTH, as_utc, hours

STEP_3 = 3
STEP_3_PLANNED_HOURS = Decimal("400")  # DESIGN.md §1: the POEC's French qualification
# Whole days of a placement can hold at most this many hours (the legal daily maximum).
MAX_HOURS_PER_DAY = Decimal("10")


def immersion_cap(step_planned_hours: Decimal) -> Decimal:
    """A third of the step's planned hours, rounded down to the hundredth so the cap is never exceeded."""
    return (step_planned_hours / 3).quantize(HUNDREDTH, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class ImmersionPlacement:
    id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    starts_on: date
    ends_on: date
    hours: Decimal

    def overlaps(self, starts_on: date, ends_on: date) -> bool:
        return self.starts_on <= ends_on and starts_on <= self.ends_on


def place(
    *,
    path: PersonPath,
    establishment: Establishment,
    starts_on: date,
    ends_on: date,
    placement_hours: Decimal,
    placements_of_person: Iterable[ImmersionPlacement],
    at: datetime,
    step_planned_hours: Decimal = STEP_3_PLANNED_HOURS,
    id: UUID | None = None,
) -> tuple[ImmersionPlacement, list[DomainEvent]]:
    beneficiary_id = path.beneficiary_id
    if path.state is not PathState.ACTIVE or path.step != STEP_3:
        raise Unprocessable("step_3_required", "an immersion is made while the person is in step 3")
    if ends_on < starts_on:
        raise InvalidValue("ends_on", "cannot be before starts_on")
    days = (ends_on - starts_on).days + 1
    amount = hours(placement_hours, "hours", low=HUNDREDTH, high=MAX_HOURS_PER_DAY * days)
    earlier = [p for p in placements_of_person if p.beneficiary_id == beneficiary_id]
    if any(p.overlaps(starts_on, ends_on) for p in earlier):
        raise InvalidValue("starts_on", "overlaps another immersion of the same person")
    cap = immersion_cap(step_planned_hours)
    already = sum((p.hours for p in earlier), Decimal("0.00"))
    if already + amount > cap:
        raise ImmersionCapExceeded(str(cap), str(already), str(amount))
    placement = ImmersionPlacement(
        id=id or uuid4(),
        beneficiary_id=beneficiary_id,
        employer_id=establishment.employer_id,
        establishment_id=establishment.id,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=amount,
    )
    made = PlacementMade(
        placement_id=placement.id,
        beneficiary_id=beneficiary_id,
        employer_id=placement.employer_id,
        establishment_id=placement.establishment_id,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=amount,
        occurred_at=as_utc(at),
    )
    return placement, [made]
