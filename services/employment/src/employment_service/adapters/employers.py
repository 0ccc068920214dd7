"""Employers, their establishments, HR contacts and pledges in the database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from employment_service.adapters.tables import employer_contacts, employers, establishments, pledges
from employment_service.domain.contact import HrContact
from employment_service.domain.employer import Employer, Establishment, Pledge
from employment_service.domain.errors import InvalidValue
from employment_service.domain.identifiers import Commune, Siret
from hopekit.db.keyset import after_key


class SiretTaken(Exception):
    """The database's unique SIRET refused a concurrent registration: the service layer answers 409."""


def _establishment(row: Any) -> Establishment:
    siret = Siret(row.siret) if row.siret is not None else None
    return Establishment(id=row.id, employer_id=row.employer_id, commune=Commune(row.commune_code), siret=siret)


class EmployerRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, employer: Employer, at: datetime) -> None:
        try:
            await self._connection.execute(
                insert(employers).values(
                    id=employer.id,
                    siret=employer.siret.value,
                    siren=employer.siren.value,
                    name=employer.name,
                    naf_code=employer.naf_code,
                    akto_member=employer.akto_member,
                    sector_codes=sorted(employer.sector_codes),
                    org_id=employer.org_id,
                    created_at=at,
                )
            )
        except IntegrityError as error:
            raise SiretTaken from error
        if employer.hr_contact is not None:
            await self.put_contact(employer.id, employer.hr_contact, at)

    async def siret_taken(self, siret: Siret) -> bool:
        return (
            await self._connection.scalar(select(employers.c.id).where(employers.c.siret == siret.value))
        ) is not None

    async def org_linked(self, org_id: UUID) -> bool:
        return (await self._connection.scalar(select(employers.c.id).where(employers.c.org_id == org_id))) is not None

    async def get(self, employer_id: UUID) -> Employer | None:
        row = (await self._connection.execute(select(employers).where(employers.c.id == employer_id))).first()
        if row is None:
            return None
        employer = Employer(
            id=row.id,
            siret=Siret(row.siret),
            name=row.name,
            naf_code=row.naf_code,
            akto_member=row.akto_member,
            sector_codes=frozenset(row.sector_codes),
            org_id=row.org_id,
        )
        found = await self._connection.execute(
            select(establishments).where(establishments.c.employer_id == employer_id).order_by(establishments.c.id)
        )
        employer.establishments = {r.id: _establishment(r) for r in found}
        return employer

    async def org_of(self, employer_id: UUID) -> UUID | None:
        return await self._connection.scalar(select(employers.c.org_id).where(employers.c.id == employer_id))

    async def page(self, org_id: UUID | None, after: UUID | None, limit: int) -> list[Employer]:
        query = select(employers.c.id)
        if org_id is not None:
            query = query.where(employers.c.org_id == org_id)
        query = after_key(query, employers.c.id, after, limit)
        ids = list(await self._connection.scalars(query))
        return [e for e in [await self.get(i) for i in ids] if e is not None]

    async def add_establishment(self, establishment: Establishment) -> None:
        try:
            await self._connection.execute(
                insert(establishments).values(
                    id=establishment.id,
                    employer_id=establishment.employer_id,
                    siret=establishment.siret.value if establishment.siret else None,
                    commune_code=establishment.commune.code,
                    department_code=establishment.department_code,
                    region_code=establishment.region_code,
                )
            )
        except IntegrityError as error:
            raise InvalidValue("establishment.siret", "is already registered as an establishment") from error

    async def establishment(self, establishment_id: UUID) -> Establishment | None:
        row = (
            await self._connection.execute(select(establishments).where(establishments.c.id == establishment_id))
        ).first()
        return _establishment(row) if row is not None else None

    async def contact(self, employer_id: UUID) -> HrContact | None:
        row = (
            await self._connection.execute(
                select(employer_contacts).where(employer_contacts.c.employer_id == employer_id)
            )
        ).first()
        return HrContact(row.full_name, row.email, row.phone) if row is not None else None

    async def put_contact(self, employer_id: UUID, contact: HrContact, at: datetime) -> None:
        values = {"full_name": contact.full_name, "email": contact.email, "phone": contact.phone, "updated_at": at}
        changed = await self._connection.execute(
            update(employer_contacts).where(employer_contacts.c.employer_id == employer_id).values(**values)
        )
        if changed.rowcount == 0:
            await self._connection.execute(insert(employer_contacts).values(employer_id=employer_id, **values))

    async def delete_contact(self, employer_id: UUID) -> bool:
        gone = await self._connection.execute(
            delete(employer_contacts).where(employer_contacts.c.employer_id == employer_id)
        )
        return gone.rowcount > 0

    async def add_pledge(self, pledge: Pledge) -> None:
        await self._connection.execute(
            insert(pledges).values(
                id=pledge.id,
                employer_id=pledge.employer_id,
                sector_code=pledge.sector_code,
                region_code=pledge.region_code,
                places=pledge.places,
                starts_on=pledge.starts_on,
                ends_on=pledge.ends_on,
            )
        )

    async def pledged_places(self, on: date, sector_code: str | None, region_code: str | None) -> list[Any]:
        """Places pledged for `on`, per sector and region."""
        query = (
            select(pledges.c.sector_code, pledges.c.region_code, func.sum(pledges.c.places).label("places"))
            .where(pledges.c.starts_on <= on, pledges.c.ends_on >= on)
            .group_by(pledges.c.sector_code, pledges.c.region_code)
        )
        if sector_code is not None:
            query = query.where(pledges.c.sector_code == sector_code)
        if region_code is not None:
            query = query.where(pledges.c.region_code == region_code)
        return list(await self._connection.execute(query))
