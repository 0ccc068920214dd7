"""The funding unit of work: the kit's transaction plus this service's repositories."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.claims import ClaimRepository
from funding_service.adapters.consumption import ConsumptionRepository
from funding_service.adapters.courses import CourseRepository
from funding_service.adapters.ledger import LedgerRepository
from funding_service.adapters.projection import ProjectionRepository
from funding_service.adapters.reference import ReferenceRepository
from funding_service.adapters.support_costs import SupportCostRepository
from funding_service.adapters.tables import cohorts
from hopekit.cohorts import CohortRepository
from hopekit.uow import UnitOfWork


class FundingUnitOfWork(UnitOfWork):
    reference: ReferenceRepository
    ledger: LedgerRepository
    consumption: ConsumptionRepository
    projection: ProjectionRepository
    cohorts: CohortRepository
    claims: ClaimRepository
    courses: CourseRepository
    support: SupportCostRepository
    # The budget lines this transaction gave money back to (``ledger_writes``): support's unpaid units that
    # their plans draw on are counted again before it commits (``support_retry``).
    refilled_lines: set[UUID]

    def _bind(self, connection: AsyncConnection) -> None:
        self.reference = ReferenceRepository(connection)
        self.ledger = LedgerRepository(connection)
        self.consumption = ConsumptionRepository(connection)
        self.projection = ProjectionRepository(connection)
        self.cohorts = CohortRepository(connection, cohorts)
        self.claims = ClaimRepository(connection)
        self.courses = CourseRepository(connection)
        self.support = SupportCostRepository(connection)
        self.refilled_lines = set()
