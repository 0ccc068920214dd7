"""The employment unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from employment_service.adapters.contracts import ContractRepository
from employment_service.adapters.employers import EmployerRepository
from employment_service.adapters.outcomes import OutcomeRepository
from employment_service.adapters.paths import PathRepository
from employment_service.adapters.tables import cohorts
from employment_service.adapters.vacancies import VacancyRepository
from hopekit.cohorts import CohortRepository
from hopekit.uow import UnitOfWork


class EmploymentUnitOfWork(UnitOfWork):
    employers: EmployerRepository
    vacancies: VacancyRepository
    contracts: ContractRepository
    outcomes: OutcomeRepository
    paths: PathRepository
    cohorts: CohortRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.employers = EmployerRepository(connection)
        self.vacancies = VacancyRepository(connection)
        self.contracts = ContractRepository(connection)
        self.outcomes = OutcomeRepository(connection)
        self.paths = PathRepository(connection)
        self.cohorts = CohortRepository(connection, cohorts)
