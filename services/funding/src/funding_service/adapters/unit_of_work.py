"""The funding unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.examples import ExampleRepository
from hopekit.uow import UnitOfWork


class FundingUnitOfWork(UnitOfWork):
    examples: ExampleRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.examples = ExampleRepository(connection)
