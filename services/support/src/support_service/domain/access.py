"""Who may read and write what, per organisation kind, organisation and role.

- The support provider of the person reads and writes the file, its needs and notes.
- The programme operator reads files, non-medical needs and standard notes; never restricted or medical ones,
  whatever its roles.
- Restricted notes: only the writing organisation. Medical notes and medical needs: only the `medical` role
  of the writing (support) organisation.
- Every other organisation kind sees nothing here, and the `reporting` role alone reads nothing.

`supporting_org_ids` are the organisations that currently support the person (their open files).
"""

from collections.abc import Iterable
from typing import Protocol, TypeVar
from uuid import UUID

from support_service.domain.actor import Actor, OrgKind, Role
from support_service.domain.vocabulary import Confidentiality


class NoteLike(Protocol):
    @property
    def level(self) -> Confidentiality: ...

    @property
    def author_org_id(self) -> UUID: ...


def _supports(actor: Actor, org_id: UUID) -> bool:
    return actor.org_kind is OrgKind.SUPPORT_PROVIDER and actor.org_id == org_id


def can_read_file(actor: Actor, supporting_org_ids: frozenset[UUID]) -> bool:
    if not actor.reads():
        return False
    if actor.org_kind is OrgKind.PROGRAMME_OPERATOR:
        return True
    return actor.org_kind is OrgKind.SUPPORT_PROVIDER and actor.org_id in supporting_org_ids


def can_write_file(actor: Actor, file_org_id: UUID) -> bool:
    return actor.writes() and _supports(actor, file_org_id)


def can_read_need(actor: Actor, *, medical: bool, file_org_id: UUID, supporting_org_ids: frozenset[UUID]) -> bool:
    if medical:
        return Role.MEDICAL in actor.roles and _supports(actor, file_org_id)
    return can_read_file(actor, supporting_org_ids)


def can_write_need(actor: Actor, *, medical: bool, file_org_id: UUID) -> bool:
    if medical:
        return Role.MEDICAL in actor.roles and _supports(actor, file_org_id)
    return can_write_file(actor, file_org_id)


N = TypeVar("N", bound=NoteLike)


def can_read_note(actor: Actor, note: NoteLike, supporting_org_ids: frozenset[UUID]) -> bool:
    if not actor.reads():
        return False
    if note.level is Confidentiality.STANDARD:
        return can_read_file(actor, supporting_org_ids)
    if note.level is Confidentiality.RESTRICTED:
        return _supports(actor, note.author_org_id)
    return Role.MEDICAL in actor.roles and _supports(actor, note.author_org_id)


def can_write_note(actor: Actor, level: Confidentiality, file_org_id: UUID) -> bool:
    if level is Confidentiality.MEDICAL:
        return Role.MEDICAL in actor.roles and _supports(actor, file_org_id)
    return can_write_file(actor, file_org_id)


def readable(actor: Actor, notes: Iterable[N], supporting_org_ids: frozenset[UUID]) -> list[N]:
    """A list shows only what the reader may read: an unreadable note's existence is not shown either."""
    return [note for note in notes if can_read_note(actor, note, supporting_org_ids)]
