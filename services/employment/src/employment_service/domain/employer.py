"""Employers (AKTO member companies and others), their establishments and their pledges of places."""

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID, uuid4

from employment_service.domain.contact import HrContact
from employment_service.domain.errors import EstablishmentOfAnotherEmployer, InvalidValue
from employment_service.domain.events import DomainEvent, EmployerRegistered
from employment_service.domain.identifiers import Commune, Siren, Siret, naf_code
from employment_service.domain.quantities import as_utc
from employment_service.domain.regions import require_region
from employment_service.domain.vocabulary import sector

MAX_PLEDGED_PLACES = 1000


@dataclass(frozen=True)
class Establishment:
    id: UUID
    employer_id: UUID
    commune: Commune
    siret: Siret | None = None

    @property
    def department_code(self) -> str:
        return self.commune.department_code

    @property
    def region_code(self) -> str:
        return self.commune.region_code


@dataclass
class Employer:
    id: UUID
    siret: Siret
    name: str
    naf_code: str
    akto_member: bool
    sector_codes: frozenset[str]
    # The gateway organisation (kind `employer`) that acts for this company; None until one is linked.
    org_id: UUID | None = None
    establishments: dict[UUID, Establishment] = field(default_factory=dict)
    hr_contact: HrContact | None = None

    @property
    def siren(self) -> Siren:
        return self.siret.siren

    @classmethod
    def register(
        cls,
        *,
        siret: str,
        name: str,
        naf: str,
        akto_member: bool,
        sector_codes: list[str],
        hr_contact: HrContact | None,
        at: datetime,
        org_id: UUID | None = None,
        id: UUID | None = None,
    ) -> tuple["Employer", list[DomainEvent]]:
        clean_name = " ".join(name.split())
        if not 1 <= len(clean_name) <= 200:
            raise InvalidValue("name", "must be 1 to 200 characters")
        if not sector_codes:
            raise InvalidValue("sector_codes", "must name at least one sector")
        sectors = frozenset(sector(code, "sector_codes").code for code in sector_codes)
        employer = cls(
            id=id or uuid4(),
            siret=Siret.parse(siret),
            name=clean_name,
            naf_code=naf_code(naf),
            akto_member=akto_member,
            sector_codes=sectors,
            org_id=org_id,
            hr_contact=hr_contact,
        )
        registered = EmployerRegistered(
            employer_id=employer.id,
            naf_code=employer.naf_code,
            akto_member=akto_member,
            sector_codes=tuple(sorted(sectors)),
            occurred_at=as_utc(at),
        )
        return employer, [registered]

    def add_establishment(self, commune_code: str, siret: str | None = None, id: UUID | None = None) -> Establishment:
        parsed = Siret.parse(siret, "establishment.siret") if siret is not None else None
        if parsed is not None and parsed.siren != self.siren:
            raise InvalidValue("establishment.siret", "must belong to the employer's SIREN")
        if parsed is not None and any(e.siret == parsed for e in self.establishments.values()):
            raise InvalidValue("establishment.siret", "is already an establishment of this employer")
        establishment = Establishment(
            id or uuid4(), self.id, Commune.parse(commune_code, "establishment.commune_code"), parsed
        )
        self.establishments[establishment.id] = establishment
        return establishment

    def establishment(self, establishment_id: UUID) -> Establishment:
        """One of this employer's own establishments; any other id is refused the same way."""
        try:
            return self.establishments[establishment_id]
        except KeyError:
            raise EstablishmentOfAnotherEmployer(establishment_id) from None

    def replace_contact(self, contact: HrContact) -> None:
        self.hr_contact = contact

    def erase_contact(self) -> bool:
        """Forgets the contact; says whether there was one, so the service layer audits what it erased."""
        erased = self.hr_contact is not None
        self.hr_contact = None
        return erased


@dataclass(frozen=True)
class Pledge:
    """An employer's commitment to offer `places` work-study places in a sector and region over a period."""

    id: UUID
    employer_id: UUID
    sector_code: str
    region_code: str
    places: int
    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        sector(self.sector_code)
        require_region(self.region_code)
        if not 1 <= self.places <= MAX_PLEDGED_PLACES:
            raise InvalidValue("places", f"must be between 1 and {MAX_PLEDGED_PLACES}")
        if self.ends_on <= self.starts_on:
            raise InvalidValue("ends_on", "must be after starts_on")

    def covers(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on
