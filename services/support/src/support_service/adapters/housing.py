"""Residences, beds and placements.

The bed-night rule holds under concurrency on both databases:
- PostgreSQL: the exclusion constraints of migration 0002 refuse a second placement sharing a night of a bed (or
  of a person); a violation is answered as the domain's `BedTaken` / `AlreadyHoused`.
- SQLite: `lock_bed` is the assignment's first statement. Writing first takes SQLite's single write lock before
  anything is read, so a second assignment waits and then sees the first one's placement; a transaction that read
  first would fail to upgrade its snapshot (SQLITE_BUSY_SNAPSHOT) instead of waiting.
On PostgreSQL the same row lock also serialises assignments of one bed, so the domain check usually answers first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from support_service.adapters.tables import beds, placements, residence_open_periods, residences
from support_service.domain.errors import AlreadyHoused, BedTaken
from support_service.domain.housing import Bed, Placement, Residence
from support_service.domain.nights import Nights
from support_service.domain.vocabulary import PlacementStatus


def _placement(m: RowMapping) -> Placement:
    return Placement(
        m["id"],
        m["beneficiary_id"],
        m["residence_id"],
        m["bed_id"],
        Nights(m["starts_on"], m["ends_on"]),
        PlacementStatus(m["status"]),
    )


def _sharing_a_night(nights: Nights) -> ColumnElement[bool]:
    return and_(
        placements.c.starts_on < nights.end,
        placements.c.ends_on > nights.start,
        placements.c.starts_on < placements.c.ends_on,
    )


class HousingRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add_residence(self, residence: Residence, label: str, room_beds: Sequence[Bed]) -> None:
        await self._connection.execute(
            insert(residences).values(
                id=residence.id,
                owner_org_id=residence.owner_org_id,
                label=label,
                commune_code=residence.commune_code,
                department_code=residence.department_code,
            )
        )
        if residence.open_periods:
            await self._connection.execute(
                insert(residence_open_periods),
                [
                    {"residence_id": residence.id, "starts_on": period.start, "ends_on": period.end}
                    for period in residence.open_periods
                ],
            )
        if room_beds:
            await self._connection.execute(
                insert(beds), [{"id": bed.id, "residence_id": bed.residence_id, "room": bed.room} for bed in room_beds]
            )

    async def residence(self, residence_id: UUID) -> tuple[Residence, str] | None:
        row = (await self._connection.execute(select(residences).where(residences.c.id == residence_id))).first()
        if row is None:
            return None
        periods = await self._connection.execute(
            select(residence_open_periods)
            .where(residence_open_periods.c.residence_id == residence_id)
            .order_by(residence_open_periods.c.starts_on)
        )
        open_periods = tuple(Nights(p.starts_on, p.ends_on) for p in periods)
        residence = Residence(row.id, row.owner_org_id, row.commune_code, row.department_code, open_periods)
        return residence, row.label

    async def beds_of(self, residence_id: UUID) -> list[Bed]:
        rows = await self._connection.execute(
            select(beds).where(beds.c.residence_id == residence_id).order_by(beds.c.room, beds.c.id)
        )
        return [Bed(row.id, row.residence_id, row.room) for row in rows]

    async def lock_bed(self, bed_id: UUID) -> Bed | None:
        """Takes the bed's lock (and on SQLite the database's write lock) before anything else is read."""
        await self._connection.execute(
            update(beds).where(beds.c.id == bed_id).values(lock_version=beds.c.lock_version + 1)
        )
        row = (await self._connection.execute(select(beds).where(beds.c.id == bed_id))).first()
        return Bed(row.id, row.residence_id, row.room) if row is not None else None

    async def placements_sharing(self, nights: Nights, *, bed_id: UUID, beneficiary_id: UUID) -> list[Placement]:
        rows = await self._connection.execute(
            select(placements).where(
                _sharing_a_night(nights),
                (placements.c.bed_id == bed_id) | (placements.c.beneficiary_id == beneficiary_id),
            )
        )
        return [_placement(row._mapping) for row in rows]

    async def add_placement(self, placement: Placement, at: datetime, org_id: UUID) -> None:
        try:
            await self._connection.execute(
                insert(placements).values(
                    id=placement.id,
                    beneficiary_id=placement.beneficiary_id,
                    residence_id=placement.residence_id,
                    bed_id=placement.bed_id,
                    starts_on=placement.nights.start,
                    ends_on=placement.nights.end,
                    status=placement.status.value,
                    assigned_at=at,
                    assigned_by_org_id=org_id,
                )
            )
        except IntegrityError as error:
            # The exclusion constraints answered for a concurrent assignment the domain check could not see.
            message = str(error.orig)
            if "ex_placements_bed_night" in message:
                raise BedTaken(placement.bed_id, placement.nights.start) from error
            if "ex_placements_person_night" in message:
                raise AlreadyHoused(placement.nights.start) from error
            raise

    async def placement(self, placement_id: UUID) -> Placement | None:
        row = (await self._connection.execute(select(placements).where(placements.c.id == placement_id))).first()
        return _placement(row._mapping) if row is not None else None

    async def current_placements_of(self, beneficiary_id: UUID) -> list[Placement]:
        rows = await self._connection.execute(
            select(placements).where(
                placements.c.beneficiary_id == beneficiary_id, placements.c.status != PlacementStatus.ENDED.value
            )
        )
        return [_placement(row._mapping) for row in rows]

    async def save_placement(self, placement: Placement) -> None:
        await self._connection.execute(
            update(placements)
            .where(placements.c.id == placement.id)
            .values(status=placement.status.value, ends_on=placement.nights.end)
        )

    async def count_of(self, beneficiary_id: UUID) -> int:
        rows = await self._connection.execute(
            select(placements.c.id).where(placements.c.beneficiary_id == beneficiary_id)
        )
        return len(rows.all())

    async def pseudonymise(self, beneficiary_id: UUID, pseudonym: UUID) -> None:
        await self._connection.execute(
            update(placements).where(placements.c.beneficiary_id == beneficiary_id).values(beneficiary_id=pseudonym)
        )

    async def occupied_on(self, residence_id: UUID, night: date) -> int:
        rows = await self._connection.execute(
            select(placements.c.id).where(
                placements.c.residence_id == residence_id,
                _sharing_a_night(Nights(night, night + timedelta(days=1))),
            )
        )
        return len(rows.all())

    async def stays_of(self, beneficiary_id: UUID, nights: Nights) -> list[Nights]:
        rows = await self._connection.execute(
            select(placements.c.starts_on, placements.c.ends_on).where(
                placements.c.beneficiary_id == beneficiary_id, _sharing_a_night(nights)
            )
        )
        return [Nights(row.starts_on, row.ends_on) for row in rows]
