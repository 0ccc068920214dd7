"""Support files and their change history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.keyset import after_key
from support_service.adapters.tables import support_file_changes, support_files
from support_service.domain.errors import FileAlreadyOpen
from support_service.domain.support_file import FileChange, SupportFile
from support_service.domain.vocabulary import EndReason, FileStatus


def _file(row: Row[tuple[object, ...]]) -> SupportFile:
    m = row._mapping
    return SupportFile(
        id=m["id"],
        beneficiary_id=m["beneficiary_id"],
        support_org_id=m["support_org_id"],
        cohort_id=m["cohort_id"],
        status=FileStatus(m["status"]),
        opened_at=m["opened_at"],
        referent=m["referent"],
        end_reason=EndReason(m["end_reason"]) if m["end_reason"] else None,
    )


class FileRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, support_file: SupportFile) -> None:
        try:
            await self._connection.execute(
                insert(support_files).values(
                    id=support_file.id,
                    beneficiary_id=support_file.beneficiary_id,
                    support_org_id=support_file.support_org_id,
                    cohort_id=support_file.cohort_id,
                    status=support_file.status.value,
                    referent=support_file.referent,
                    opened_at=support_file.opened_at,
                )
            )
        except IntegrityError as error:
            # A concurrent opening won the unique index: the whole transaction is refused (a consumer retries
            # and then finds the file open).
            raise FileAlreadyOpen(support_file.beneficiary_id) from error
        await self._changes(support_file.id, support_file.history)

    async def save(self, support_file: SupportFile, new_changes: Sequence[FileChange]) -> None:
        closed_at = support_file.history[-1].at if support_file.is_closed and support_file.history else None
        await self._connection.execute(
            update(support_files)
            .where(support_files.c.id == support_file.id)
            .values(
                status=support_file.status.value,
                referent=support_file.referent,
                end_reason=support_file.end_reason.value if support_file.end_reason else None,
                closed_at=closed_at,
            )
        )
        await self._changes(support_file.id, new_changes)

    async def _changes(self, file_id: UUID, changes: Sequence[FileChange]) -> None:
        if not changes:
            return
        await self._connection.execute(
            insert(support_file_changes),
            [
                {
                    "id": uuid.uuid4(),
                    "file_id": file_id,
                    "from_status": change.from_status.value if change.from_status else None,
                    "to_status": change.to_status.value,
                    "end_reason": change.end_reason.value if change.end_reason else None,
                    "referent": change.referent,
                    "at": change.at,
                    "actor": change.actor,
                    "actor_org_id": change.actor_org_id,
                }
                for change in changes
            ],
        )

    async def get(self, file_id: UUID) -> SupportFile | None:
        row = (await self._connection.execute(select(support_files).where(support_files.c.id == file_id))).first()
        return _file(row) if row is not None else None

    async def history(self, file_id: UUID) -> list[FileChange]:
        rows = await self._connection.execute(
            select(support_file_changes)
            .where(support_file_changes.c.file_id == file_id)
            .order_by(support_file_changes.c.at, support_file_changes.c.id)
        )
        return [
            FileChange(
                from_status=FileStatus(row.from_status) if row.from_status else None,
                to_status=FileStatus(row.to_status),
                at=row.at,
                actor=row.actor,
                actor_org_id=row.actor_org_id,
                end_reason=EndReason(row.end_reason) if row.end_reason else None,
                referent=row.referent,
            )
            for row in rows
        ]

    async def with_open_files_of_person(self, file_id: UUID) -> tuple[SupportFile, list[SupportFile]] | None:
        """The file and every open file of the same person (itself included when open), in one query: the
        object-level check of every read needs both."""
        person = select(support_files.c.beneficiary_id).where(support_files.c.id == file_id).scalar_subquery()
        rows = await self._connection.execute(
            select(support_files).where(
                or_(
                    support_files.c.id == file_id,
                    and_(
                        support_files.c.beneficiary_id == person,
                        support_files.c.status != FileStatus.CLOSED.value,
                    ),
                )
            )
        )
        found = [_file(row) for row in rows]
        the_file = next((f for f in found if f.id == file_id), None)
        if the_file is None:
            return None
        return the_file, [f for f in found if f.status is not FileStatus.CLOSED]

    async def open_files_of(self, beneficiary_id: UUID) -> list[SupportFile]:
        rows = await self._connection.execute(
            select(support_files).where(
                support_files.c.beneficiary_id == beneficiary_id, support_files.c.status != FileStatus.CLOSED.value
            )
        )
        return [_file(row) for row in rows]

    async def files_of(self, beneficiary_id: UUID) -> list[SupportFile]:
        rows = await self._connection.execute(
            select(support_files).where(support_files.c.beneficiary_id == beneficiary_id)
        )
        return [_file(row) for row in rows]

    async def page(
        self,
        *,
        org_id: UUID | None,
        beneficiary_id: UUID | None,
        status: FileStatus | None,
        referent: str | None,
        after: UUID | None,
        limit: int,
    ) -> list[SupportFile]:
        """Keyset pagination by id; `org_id` None means every organisation's files (the operator's view)."""
        query = select(support_files)
        if org_id is not None:
            query = query.where(support_files.c.support_org_id == org_id)
        if beneficiary_id is not None:
            query = query.where(support_files.c.beneficiary_id == beneficiary_id)
        if status is not None:
            query = query.where(support_files.c.status == status.value)
        if referent is not None:
            query = query.where(support_files.c.referent == referent)
        query = after_key(query, support_files.c.id, after, limit)
        return [_file(row) for row in await self._connection.execute(query)]

    async def pseudonymise(self, beneficiary_id: UUID, pseudonym: UUID) -> None:
        await self._connection.execute(
            update(support_files)
            .where(support_files.c.beneficiary_id == beneficiary_id)
            .values(beneficiary_id=pseudonym)
        )
