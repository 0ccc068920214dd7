"""The caller as the domain sees it, and the object-level checks every path starts with.

A file, need or note the caller may not read is answered as not found: its existence is not disclosed.
"""

from __future__ import annotations

from uuid import UUID

from hope_contracts.vocabulary import OrgKind as PartnerKind
from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.access import can_read_file, can_write_file
from support_service.domain.actor import Actor, OrgKind, Role
from support_service.domain.errors import AccessDenied, NotFound
from support_service.domain.support_file import SupportFile


def actor_of(principal: Principal) -> Actor:
    return Actor(
        subject=principal.subject,
        org_id=principal.org_id,
        org_kind=OrgKind(principal.org_kind.value),
        roles=frozenset(Role(role.value) for role in principal.roles),
    )


def _supporting(support_file: SupportFile, open_files: list[SupportFile]) -> frozenset[UUID]:
    """The organisations supporting the person now (open files), and the file's own organisation, which keeps
    reading the file it held after it closed."""
    return frozenset({support_file.support_org_id, *(f.support_org_id for f in open_files)})


async def supporting_orgs(uow: SupportUnitOfWork, support_file: SupportFile) -> frozenset[UUID]:
    return _supporting(support_file, await uow.files.open_files_of(support_file.beneficiary_id))


async def file_and_supporters(uow: SupportUnitOfWork, file_id: UUID) -> tuple[SupportFile, frozenset[UUID]] | None:
    """The file and who supports its person, read together (one query on every read path)."""
    found = await uow.files.with_open_files_of_person(file_id)
    return None if found is None else (found[0], _supporting(*found))


async def readable_file(uow: SupportUnitOfWork, actor: Actor, file_id: UUID) -> tuple[SupportFile, frozenset[UUID]]:
    found = await file_and_supporters(uow, file_id)
    if found is None or not can_read_file(actor, found[1]):
        raise NotFound("support file", file_id)
    return found


async def writable_file(uow: SupportUnitOfWork, actor: Actor, file_id: UUID) -> tuple[SupportFile, frozenset[UUID]]:
    """A file the caller may read but not write is a 403; one it may not read, a 404."""
    support_file, supporting = await readable_file(uow, actor, file_id)
    if not can_write_file(actor, support_file.support_org_id):
        raise AccessDenied("change this support file")
    return support_file, supporting


async def ensure_active_support_provider(uow: SupportUnitOfWork, actor: Actor, action: str) -> None:
    """The token says what kind of organisation calls; the gateway's events (the partner projection) say whether
    it is still an active support provider. One deactivated at the gateway takes on no new person, residence or
    bed, even with a token that has not expired yet."""
    if not await uow.partners.is_active(actor.org_id, PartnerKind.SUPPORT_PROVIDER):
        raise AccessDenied(action)
