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

    def hold_writes(self) -> None:
        """The ledger's and consumption's writes wait in memory until ``release_writes`` or the commit (a run of
        sheets, ``service_layer.sheet_runs``); the repositories write them first before reading their tables."""
        self.ledger.hold_writes()
        self.consumption.hold_writes()

    async def flush_writes(self) -> None:
        """Write what waits (nothing when writes are not held), writes staying held."""
        await self.ledger.flush()
        await self.consumption.flush()

    async def release_writes(self) -> None:
        await self.ledger.release_writes()
        await self.consumption.release_writes()

    async def commit(self) -> None:
        await self.flush_writes()
        await super().commit()
