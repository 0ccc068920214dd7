"""Support files: opened from enrolment's events or by hand, put on hold, resumed, closed, given a referent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.actor import Actor, OrgKind, Role
from support_service.domain.errors import FileAlreadyOpen, NotSupportProvider, PersonErased
from support_service.domain.support_file import FileChange, SupportFile
from support_service.domain.vocabulary import EndReason, FileStatus
from support_service.events.outgoing import to_contract
from support_service.service_layer.access import (
    actor_of,
    ensure_active_support_provider,
    readable_file,
    writable_file,
)

# Changes made on enrolment's events are made by the platform, on behalf of no organisation.
PLATFORM_ORG = UUID(int=0)
ENROLMENT = Actor("event:enrolment", PLATFORM_ORG, OrgKind.PROGRAMME_OPERATOR, frozenset({Role.ADMIN}))


@dataclass(frozen=True)
class FileDetail:
    file: SupportFile
    history: list[FileChange]
    # Training's absence alerts about the person since the file opened, for the referent to act on.
    absence_alerts: list[dict[str, object]]


async def open_file(
    uow: SupportUnitOfWork, beneficiary_id: UUID, support_org_id: UUID, cohort_id: UUID | None, actor: Actor
) -> SupportFile:
    support_file, opened = SupportFile.open(
        file_id=uuid.uuid4(),
        beneficiary_id=beneficiary_id,
        support_org_id=support_org_id,
        cohort_id=cohort_id,
        actor=actor,
        at=datetime.now(UTC),
    )
    await uow.files.add(support_file)
    uow.publish(to_contract(opened))
    return support_file


async def open_by_hand(
    uow: SupportUnitOfWork, principal: Principal, beneficiary_id: UUID, cohort_id: UUID | None
) -> SupportFile:
    """A support provider opens a file itself: for a person of a cohort it supports, or with no cohort (the
    individual track)."""
    actor = actor_of(principal)
    if actor.org_kind is not OrgKind.SUPPORT_PROVIDER or not actor.writes():
        raise NotSupportProvider()
    await ensure_active_support_provider(uow, actor, "open a support file")
    person = await uow.projection.person(beneficiary_id)
    if person is not None and person.erased:
        raise PersonErased()
    cohort = cohort_id or (person.cohort_id if person is not None else None)
    if cohort is not None:
        provider = await uow.cohorts.support_provider(cohort)
        if provider is not None and provider != actor.org_id:
            raise NotSupportProvider()
    if any(f.support_org_id == actor.org_id for f in await uow.files.open_files_of(beneficiary_id)):
        raise FileAlreadyOpen(beneficiary_id)
    support_file = await open_file(uow, beneficiary_id, actor.org_id, cohort, actor)
    uow.audit(principal, "open", "support_file", support_file.id)
    return support_file


async def open_for_step(uow: SupportUnitOfWork, beneficiary_id: UUID, cohort_id: UUID | None) -> None:
    """From step 3 on the cohort's support provider holds an open file; nothing when it already does, when the
    cohort is not known yet (its creation opens it later) or when the person was erased."""
    if cohort_id is None:
        return
    provider = await uow.cohorts.support_provider(cohort_id)
    if provider is None:
        return
    open_files = await uow.files.open_files_of(beneficiary_id)
    if any(f.support_org_id == provider for f in open_files):
        return
    now = datetime.now(UTC)
    for other in open_files:
        # The person moved to a cohort supported by another organisation: that file is handed over.
        closed = other.close(EndReason.TRANSFERRED, ENROLMENT, now)
        await uow.files.save(other, other.history)
        uow.publish(to_contract(closed))
    support_file = await open_file(uow, beneficiary_id, provider, cohort_id, ENROLMENT)
    uow.audit_event("open", "support_file", support_file.id)


async def close_for_person(uow: SupportUnitOfWork, beneficiary_id: UUID, reason: EndReason, at: datetime) -> int:
    files = await uow.files.open_files_of(beneficiary_id)
    for support_file in files:
        closed = support_file.close(reason, ENROLMENT, at)
        await uow.files.save(support_file, support_file.history)
        uow.publish(to_contract(closed))
        uow.audit_event("close", "support_file", support_file.id, reason=reason.value)
    return len(files)


async def get(uow: SupportUnitOfWork, principal: Principal, file_id: UUID) -> FileDetail:
    support_file, _ = await readable_file(uow, actor_of(principal), file_id)
    uow.audit(principal, "read", "support_file", file_id)
    alerts = await uow.training.alerts_of(support_file.beneficiary_id, support_file.opened_at)
    return FileDetail(support_file, await uow.files.history(file_id), alerts)


async def search(
    uow: SupportUnitOfWork,
    principal: Principal,
    *,
    beneficiary_id: UUID | None,
    status: FileStatus | None,
    referent: str | None,
    after: UUID | None,
    limit: int,
) -> Sequence[SupportFile]:
    """A support provider lists its own files, the operator every file; everybody else sees none."""
    actor = actor_of(principal)
    if not actor.reads() or actor.org_kind not in (OrgKind.SUPPORT_PROVIDER, OrgKind.PROGRAMME_OPERATOR):
        return []
    org = None if actor.org_kind is OrgKind.PROGRAMME_OPERATOR else actor.org_id
    found = await uow.files.page(
        org_id=org, beneficiary_id=beneficiary_id, status=status, referent=referent, after=after, limit=limit
    )
    uow.audit(principal, "list", "support_file", beneficiary_id or "*")
    return found


async def hold(uow: SupportUnitOfWork, principal: Principal, file_id: UUID) -> SupportFile:
    actor = actor_of(principal)
    support_file, _ = await writable_file(uow, actor, file_id)
    support_file.put_on_hold(actor, datetime.now(UTC))
    await uow.files.save(support_file, support_file.history)
    uow.audit(principal, "hold", "support_file", file_id)
    return support_file


async def resume(uow: SupportUnitOfWork, principal: Principal, file_id: UUID) -> SupportFile:
    actor = actor_of(principal)
    support_file, _ = await writable_file(uow, actor, file_id)
    support_file.resume(actor, datetime.now(UTC))
    await uow.files.save(support_file, support_file.history)
    uow.audit(principal, "resume", "support_file", file_id)
    return support_file


async def close(uow: SupportUnitOfWork, principal: Principal, file_id: UUID, reason: EndReason) -> SupportFile:
    actor = actor_of(principal)
    support_file, _ = await writable_file(uow, actor, file_id)
    closed = support_file.close(reason, actor, datetime.now(UTC))
    await uow.files.save(support_file, support_file.history)
    uow.publish(to_contract(closed))
    uow.audit(principal, "close", "support_file", file_id, reason=reason.value)
    return support_file


async def assign_referent(uow: SupportUnitOfWork, principal: Principal, file_id: UUID, referent: str) -> SupportFile:
    actor = actor_of(principal)
    support_file, _ = await writable_file(uow, actor, file_id)
    support_file.assign_referent(referent, actor, datetime.now(UTC))
    await uow.files.save(support_file, support_file.history)
    uow.audit(principal, "assign_referent", "support_file", file_id)
    return support_file
