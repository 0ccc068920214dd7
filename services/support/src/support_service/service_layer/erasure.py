"""Erasure (enrolment's `beneficiary.erased`): the person's data key is destroyed, which leaves every sealed copy
(backups included) unreadable; notes are deleted; needs, referrals and placements stay only as counts under a
random pseudonym; files are closed and keep no link either. An `erasures` row and an audit row say what was done.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hope_contracts import enrolment
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.vocabulary import EndReason
from support_service.service_layer.files import close_for_person
from support_service.service_layer.housing import release_for_person


async def erase_beneficiary(uow: SupportUnitOfWork, event: enrolment.BeneficiaryErased) -> None:
    person = event.beneficiary_id
    existing = await uow.projection.person(person)
    if existing is not None and existing.erased:
        return
    await close_for_person(uow, person, EndReason.OTHER, event.occurred_at)
    await release_for_person(uow, person, event.occurred_at.date())
    key_destroyed = await uow.keys.destroy(person)
    notes_deleted = await uow.notes.delete_of(person)
    await uow.training.forget(person)
    await uow.catering.forget(person)
    await uow.schedule.forget(person)
    needs_kept = await uow.needs.count_of(person)
    placements_kept = await uow.housing.count_of(person)
    pseudonym = uuid.uuid4()  # kept nowhere: the counts survive, the link to the person does not
    await uow.needs.pseudonymise(person, pseudonym)
    await uow.referrals.pseudonymise(person, pseudonym)
    await uow.housing.pseudonymise(person, pseudonym)
    await uow.files.pseudonymise(person, pseudonym)
    await uow.projection.erased(person, datetime.now(UTC))
    await uow.erasures.record(
        person,
        datetime.now(UTC),
        notes_deleted=notes_deleted,
        needs_kept=needs_kept,
        placements_kept=placements_kept,
        key_destroyed=key_destroyed,
    )
    uow.audit_event(
        "erase",
        "beneficiary",
        person,
        reason=f"notes_deleted:{notes_deleted};key_destroyed:{key_destroyed};needs_kept:{needs_kept};"
        f"placements_kept:{placements_kept}",
    )
