"""Company immersions in step 3, capped at a third of the step's planned hours per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_see_placement
from employment_service.domain.placement import ImmersionPlacement, place
from employment_service.service_layer.access import ensure_visible, ensure_writable, viewer
from employment_service.service_layer.errors import PersonNotOnPath
from employment_service.service_layer.publishing import publish
from hopekit.errors import NotFound
from hopekit.identity.principal import Principal


@dataclass(frozen=True)
class PlacementForm:
    employer_id: UUID
    establishment_id: UUID
    beneficiary_id: UUID
    starts_on: date
    ends_on: date
    hours: Decimal


async def make(uow: EmploymentUnitOfWork, principal: Principal, form: PlacementForm) -> ImmersionPlacement:
    """The person's path row is locked first, so two placements cannot both fit under the cap."""
    employer = await uow.employers.get(form.employer_id)
    if employer is None:
        raise NotFound.of("employer")
    path = await uow.paths.get(form.beneficiary_id, lock=True)
    ensure_writable(principal, may_see_placement(viewer(principal), employer.org_id, path), "placement")
    if path is None:
        raise PersonNotOnPath("this person is not known on the path here")
    placement, events = place(
        path=path,
        establishment=employer.establishment(form.establishment_id),
        starts_on=form.starts_on,
        ends_on=form.ends_on,
        placement_hours=form.hours,
        placements_of_person=await uow.contracts.placements_of(form.beneficiary_id),
        at=datetime.now(UTC),
    )
    await uow.contracts.add_placement(placement)
    publish(uow, events)
    uow.audit(principal, "create", "immersion_placement", placement.id)
    return placement


async def of_person(uow: EmploymentUnitOfWork, principal: Principal, beneficiary_id: UUID) -> list[ImmersionPlacement]:
    """A person's immersions the caller may see (an employer sees only those it hosts)."""
    path = await uow.paths.get(beneficiary_id)
    placements = await uow.contracts.placements_of(beneficiary_id)
    shown = []
    for placement in placements:
        org = await uow.employers.org_of(placement.employer_id)
        if may_see_placement(viewer(principal), org, path):
            shown.append(placement)
    ensure_visible(principal, bool(shown) or principal.is_operator, "person's placements")
    return shown
