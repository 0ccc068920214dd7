"""The reporting unit of work: the kit's transaction, and the read models' versions it writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.uow import Database, UnitOfWork
from reporting_service.adapters import completeness, versions
from reporting_service.adapters.facts import VersionFacts

# The audit log's column for the reason (the kit's table): an export's filters can say more.


class ReportingUnitOfWork(UnitOfWork):
    """``pinned``: write that version only (a rebuild); otherwise every version being fed (the live consumers)."""

    def __init__(self, database: Database, pinned: int | None = None) -> None:
        super().__init__(database)
        self._pinned = pinned
        self._versions: list[VersionFacts] | None = None

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    def _bind(self, connection: AsyncConnection) -> None:
        self._versions = None
        self._marks: dict[tuple[int, str, int], tuple[int, datetime]] = {}

    def note_mark(self, version: int, topic: str, partition: int, offset: int, at: datetime) -> None:
        """Remember how far this transaction got on a partition; written once, at commit (a rebuild's batch
        raises each partition's mark once, not once per event)."""
        key = (version, topic, partition)
        before = self._marks.get(key)
        self._marks[key] = (max(offset, before[0]), max(at, before[1])) if before else (offset, at)

    async def commit(self) -> None:
        for facts in self._versions or []:
            await facts.flush()
        for (version, topic, partition), (offset, at) in sorted(self._marks.items()):
            await completeness.raise_mark(self.connection, version, topic, partition, offset, at)
        # Answers kept for the facts as they were are no longer those facts' answers (``kept_answers``).
        await completeness.note_changes(self.connection, [facts.version for facts in self._versions or []])
        self._marks = {}
        await super().commit()

    async def fed_versions(self) -> list[VersionFacts]:
        """The read models' versions this transaction writes (read once per transaction)."""
        if self._versions is None:
            numbers = [self._pinned] if self._pinned is not None else await versions.fed_versions(self.connection)
            # A rebuild's batches note no cohort due: its version is summed whole when it is switched to.
            notes_due = self._pinned is None
            self._versions = [VersionFacts(self.connection, number, notes_due) for number in numbers]
        return self._versions
