"""The enrolment unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from enrolment_service.adapters.beneficiaries import BeneficiaryRepository
from enrolment_service.adapters.closures import PathClosureRepository
from enrolment_service.adapters.cohorts import CohortRepository
from enrolment_service.adapters.tables import partners
from hopekit.partners import PartnerRepository
from hopekit.uow import UnitOfWork


class EnrolmentUnitOfWork(UnitOfWork):
    beneficiaries: BeneficiaryRepository
    cohorts: CohortRepository
    closures: PathClosureRepository
    partners: PartnerRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.beneficiaries = BeneficiaryRepository(connection)
        self.cohorts = CohortRepository(connection)
        self.closures = PathClosureRepository(connection)
        self.partners = PartnerRepository(connection, partners)
