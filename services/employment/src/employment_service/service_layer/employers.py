"""Employers: registration, establishments, pledges, the HR contact (audited and erasable), demand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from employment_service.adapters.employers import SiretTaken
from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_see_employer_side
from employment_service.domain.contact import HrContact
from employment_service.domain.employer import Employer, Establishment, Pledge
from employment_service.domain.regions import require_region
from employment_service.domain.vocabulary import sector
from employment_service.service_layer.access import ensure_reader, ensure_visible, ensure_writable, viewer
from employment_service.service_layer.errors import OrganisationLinked, SiretKnown
from employment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


@dataclass(frozen=True)
class Registration:
    siret: str
    name: str
    naf_code: str
    akto_member: bool
    sector_codes: list[str]
    hr_contact: HrContact | None
    org_id: UUID | None


async def register(uow: EmploymentUnitOfWork, principal: Principal, form: Registration) -> Employer:
    """The operator registers any employer (linking an organisation if it names one); an employer organisation
    registers itself, once."""
    if not principal.can_write():
        raise Forbidden("registering an employer needs the writer or admin role")
    if principal.org_kind is OrgKind.EMPLOYER:
        org_id: UUID | None = principal.org_id
    elif principal.is_operator:
        org_id = form.org_id
    else:
        raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not register employers")
    now = datetime.now(UTC)
    employer, events = Employer.register(
        siret=form.siret,
        name=form.name,
        naf=form.naf_code,
        akto_member=form.akto_member,
        sector_codes=form.sector_codes,
        hr_contact=form.hr_contact,
        at=now,
        org_id=org_id,
    )
    if await uow.employers.siret_taken(employer.siret):
        raise SiretKnown("an employer with this SIRET is registered already")
    if org_id is not None and await uow.employers.org_linked(org_id):
        raise OrganisationLinked("this organisation already acts for an employer")
    try:
        await uow.employers.add(employer, now)
    except SiretTaken as error:  # lost a race to the unique SIRET (or organisation)
        raise SiretKnown("an employer with this SIRET is registered already") from error
    publish(uow, events)
    uow.audit(principal, "create", "employer", employer.id)
    if form.hr_contact is not None:
        uow.audit(principal, "write", "employer_contact", employer.id)
    return employer


async def visible_employer(uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID) -> Employer:
    employer = await uow.employers.get(employer_id)
    ensure_visible(
        principal, employer is not None and may_see_employer_side(viewer(principal), employer.org_id), "employer"
    )
    assert employer is not None
    return employer


async def writable_employer(uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID) -> Employer:
    employer = await uow.employers.get(employer_id)
    visible = employer is not None and may_see_employer_side(viewer(principal), employer.org_id)
    ensure_writable(principal, visible, "employer")
    assert employer is not None
    return employer


async def page(uow: EmploymentUnitOfWork, principal: Principal, after: UUID | None, limit: int) -> list[Employer]:
    ensure_reader(principal)
    if principal.is_operator:
        return await uow.employers.page(None, after, limit)
    if principal.org_kind is OrgKind.EMPLOYER:
        return await uow.employers.page(principal.org_id, after, limit)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not list employers")


async def add_establishment(
    uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID, commune_code: str, siret: str | None
) -> Establishment:
    employer = await writable_employer(uow, principal, employer_id)
    establishment = employer.add_establishment(commune_code, siret)
    await uow.employers.add_establishment(establishment)
    uow.audit(principal, "create", "establishment", establishment.id)
    return establishment


@dataclass(frozen=True)
class PledgeForm:
    sector_code: str
    region_code: str
    places: int
    starts_on: date
    ends_on: date


async def add_pledge(uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID, form: PledgeForm) -> Pledge:
    employer = await writable_employer(uow, principal, employer_id)
    pledge = Pledge(
        id=uuid4(),
        employer_id=employer.id,
        sector_code=form.sector_code,
        region_code=form.region_code,
        places=form.places,
        starts_on=form.starts_on,
        ends_on=form.ends_on,
    )
    await uow.employers.add_pledge(pledge)
    uow.audit(principal, "create", "pledge", pledge.id)
    return pledge


async def read_contact(uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID, reason: str) -> HrContact:
    """Every read that shows the contact leaves an audit row with its reason."""
    await visible_employer(uow, principal, employer_id)
    contact = await uow.employers.contact(employer_id)
    if contact is None:
        raise NotFound("this employer has no HR contact")
    uow.audit(principal, "read", "employer_contact", employer_id, reason=reason)
    return contact


async def replace_contact(
    uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID, contact: HrContact
) -> HrContact:
    await writable_employer(uow, principal, employer_id)
    await uow.employers.put_contact(employer_id, contact, datetime.now(UTC))
    uow.audit(principal, "write", "employer_contact", employer_id)
    return contact


async def erase_contact(uow: EmploymentUnitOfWork, principal: Principal, employer_id: UUID) -> None:
    await writable_employer(uow, principal, employer_id)
    if not await uow.employers.delete_contact(employer_id):
        raise NotFound("this employer has no HR contact")
    uow.audit(principal, "erase", "employer_contact", employer_id)


@dataclass(frozen=True)
class DemandLine:
    sector_code: str
    region_code: str
    pledged_places: int
    open_positions: int


async def demand(
    uow: EmploymentUnitOfWork, principal: Principal, sector_code: str | None, region_code: str | None, on: date
) -> list[DemandLine]:
    """Aggregates only, so any organisation with a reading role may know where the jobs are."""
    ensure_reader(principal)
    if sector_code is not None:
        sector(sector_code)
    if region_code is not None:
        require_region(region_code)
    lines: dict[tuple[str, str], list[int]] = {}
    for row in await uow.employers.pledged_places(on, sector_code, region_code):
        lines.setdefault((row.sector_code, row.region_code), [0, 0])[0] = int(row.places)
    for row in await uow.vacancies.open_positions(sector_code, region_code):
        lines.setdefault((row.sector_code, row.region_code), [0, 0])[1] = int(row.positions)
    return [DemandLine(s, r, p, o) for (s, r), (p, o) in sorted(lines.items())]
