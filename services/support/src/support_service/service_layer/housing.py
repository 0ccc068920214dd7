"""Residences, beds and placements: a bed is never given to two people on the same night."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.access import can_write_file
from support_service.domain.actor import Actor, OrgKind, Role
from support_service.domain.errors import AccessDenied, NotFound, PersonErased
from support_service.domain.housing import Bed, Placement, Residence
from support_service.domain.nights import Nights
from support_service.events.outgoing import to_contract
from support_service.service_layer import meals
from support_service.service_layer.access import actor_of, ensure_active_support_provider

ENROLMENT = Actor("event:enrolment", UUID(int=0), OrgKind.PROGRAMME_OPERATOR, frozenset({Role.ADMIN}))


async def create_residence(
    uow: SupportUnitOfWork,
    principal: Principal,
    *,
    label: str,
    commune_code: str,
    department_code: str,
    open_periods: Sequence[Nights],
    rooms: Sequence[tuple[str, int]],
) -> tuple[Residence, list[Bed]]:
    """A support provider's residence with its rooms (room code, number of beds) and open periods."""
    actor = actor_of(principal)
    if actor.org_kind is not OrgKind.SUPPORT_PROVIDER or not actor.writes():
        raise AccessDenied("register a residence")
    residence = Residence(uuid.uuid4(), actor.org_id, commune_code, department_code, tuple(open_periods))
    await ensure_active_support_provider(uow, actor, "register a residence")
    room_beds = [Bed(uuid.uuid4(), residence.id, room) for room, count in rooms for _ in range(count)]
    await uow.housing.add_residence(residence, label, room_beds)
    uow.audit(principal, "create", "residence", residence.id)
    return residence, room_beds


async def get_residence(
    uow: SupportUnitOfWork, principal: Principal, residence_id: UUID
) -> tuple[Residence, str, list[Bed]]:
    actor = actor_of(principal)
    found = await uow.housing.residence(residence_id)
    visible = (
        found is not None
        and actor.reads()
        and (
            actor.org_kind is OrgKind.PROGRAMME_OPERATOR
            or (actor.org_kind is OrgKind.SUPPORT_PROVIDER and found[0].owner_org_id == actor.org_id)
        )
    )
    if found is None or not visible:
        raise NotFound("residence", residence_id)
    residence, label = found
    return residence, label, await uow.housing.beds_of(residence_id)


async def assign(
    uow: SupportUnitOfWork,
    principal: Principal,
    *,
    beneficiary_id: UUID,
    bed_id: UUID,
    starts_on: date,
    ends_on: date,
) -> Placement:
    """Gives a bed for the nights [starts_on, ends_on) to a person the caller supports.

    The bed is locked first (see `HousingRepository.lock_bed`): two concurrent requests for the last bed give one
    placement and one `bed_taken`.
    """
    actor = actor_of(principal)
    nights = Nights(starts_on, ends_on)
    bed = await uow.housing.lock_bed(bed_id)  # first: see HousingRepository.lock_bed
    if bed is None:
        raise NotFound("bed", bed_id)
    found = await uow.housing.residence(bed.residence_id)
    assert found is not None
    residence, _ = found
    if residence.owner_org_id != actor.org_id:
        # Beds are given out by the organisation that runs the residence.
        raise NotFound("bed", bed_id)
    await ensure_active_support_provider(uow, actor, "house a person")
    person = await uow.projection.person(beneficiary_id)
    if person is not None and person.erased:
        raise PersonErased()
    open_files = await uow.files.open_files_of(beneficiary_id)
    if not any(can_write_file(actor, f.support_org_id) for f in open_files):
        raise AccessDenied("house a person this organisation does not support")
    sharing = await uow.housing.placements_sharing(nights, bed_id=bed_id, beneficiary_id=beneficiary_id)
    now = datetime.now(UTC)
    placement, assigned = Placement.assign(
        placement_id=uuid.uuid4(),
        beneficiary_id=beneficiary_id,
        residence=residence,
        bed=bed,
        nights=nights,
        placements_of_bed=sharing,
        placements_of_person=sharing,
        actor=actor,
        at=now,
    )
    await uow.housing.add_placement(placement, now, actor.org_id)
    uow.publish(to_contract(assigned))
    await meals.refresh(uow, beneficiary_id)
    uow.audit(principal, "assign", "placement", placement.id)
    return placement


async def release(uow: SupportUnitOfWork, principal: Principal, placement_id: UUID, on: date) -> Placement:
    actor = actor_of(principal)
    placement = await uow.housing.placement(placement_id)
    if placement is None:
        raise NotFound("placement", placement_id)
    found = await uow.housing.residence(placement.residence_id)
    assert found is not None
    if found[0].owner_org_id != actor.org_id or actor.org_kind is not OrgKind.SUPPORT_PROVIDER:
        raise NotFound("placement", placement_id)
    if not actor.writes():
        raise AccessDenied("release this placement")
    released = placement.release(on, actor, datetime.now(UTC))
    await uow.housing.save_placement(placement)
    uow.publish(to_contract(released))
    uow.audit(principal, "release", "placement", placement_id)
    await meals.refresh(uow, placement.beneficiary_id)
    return placement


async def release_for_person(uow: SupportUnitOfWork, beneficiary_id: UUID, on: date) -> int:
    """Withdrawal or completion: every current placement ends at that date and the bed is free from that night."""
    current = await uow.housing.current_placements_of(beneficiary_id)
    for placement in current:
        released = placement.release(on, ENROLMENT, datetime.now(UTC))
        await uow.housing.save_placement(placement)
        uow.publish(to_contract(released))
        uow.audit_event("release", "placement", placement.id)
    return len(current)
