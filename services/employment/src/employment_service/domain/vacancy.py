"""Vacancies: work-study positions an employer offers at one of its establishments."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from employment_service.domain.employer import Establishment
from employment_service.domain.errors import IllegalTransition, InvalidValue
from employment_service.domain.events import DomainEvent, VacancyPublished, VacancyStatusChanged
from employment_service.domain.identifiers import rome_code
from employment_service.domain.quantities import as_utc, weekly_hours
from employment_service.domain.vocabulary import ContractType, VacancyStatus, sector

MAX_POSITIONS = 100


@dataclass
class Vacancy:
    id: UUID
    employer_id: UUID
    establishment_id: UUID
    department_code: str
    region_code: str
    rome_code: str
    sector_code: str
    positions: int
    hours_per_week: Decimal
    starts_on: date
    contract_type: ContractType
    status: VacancyStatus = VacancyStatus.OPEN
    hired: int = 0

    @classmethod
    def publish(
        cls,
        *,
        establishment: Establishment,
        rome: str,
        sector_code: str,
        positions: int,
        hours_per_week: Decimal,
        starts_on: date,
        contract_type: ContractType,
        at: datetime,
        id: UUID | None = None,
    ) -> tuple["Vacancy", list[DomainEvent]]:
        if not 1 <= positions <= MAX_POSITIONS:
            raise InvalidValue("positions", f"must be between 1 and {MAX_POSITIONS}")
        at = as_utc(at)
        if starts_on < at.date():
            raise InvalidValue("starts_on", "cannot be in the past when the vacancy is published")
        vacancy = cls(
            id=id or uuid4(),
            employer_id=establishment.employer_id,
            establishment_id=establishment.id,
            department_code=establishment.department_code,
            region_code=establishment.region_code,
            rome_code=rome_code(rome),
            sector_code=sector(sector_code).code,
            positions=positions,
            hours_per_week=weekly_hours(hours_per_week),
            starts_on=starts_on,
            contract_type=contract_type,
        )
        published = VacancyPublished(
            vacancy_id=vacancy.id,
            employer_id=vacancy.employer_id,
            establishment_id=vacancy.establishment_id,
            rome_code=vacancy.rome_code,
            sector_code=vacancy.sector_code,
            department_code=vacancy.department_code,
            region_code=vacancy.region_code,
            positions=positions,
            hours_per_week=vacancy.hours_per_week,
            starts_on=starts_on,
            contract_type=contract_type,
            occurred_at=at,
        )
        return vacancy, [published]

    @property
    def open_positions(self) -> int:
        return self.positions - self.hired if self.status is VacancyStatus.OPEN else 0

    def record_hire(self, at: datetime) -> list[DomainEvent]:
        """One more person hired; the vacancy is filled with its last position."""
        self._require_open("hire")
        self.hired += 1
        if self.hired < self.positions:
            return []
        self.status = VacancyStatus.FILLED
        return [VacancyStatusChanged(vacancy_id=self.id, status=self.status, occurred_at=as_utc(at))]

    def close(self, at: datetime) -> list[DomainEvent]:
        self._require_open("close")
        self.status = VacancyStatus.CLOSED
        return [VacancyStatusChanged(vacancy_id=self.id, status=self.status, occurred_at=as_utc(at))]

    def _require_open(self, attempted: str) -> None:
        if self.status is not VacancyStatus.OPEN:
            raise IllegalTransition("vacancy", self.status, attempted, ())
