"""The reporting unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.uow import UnitOfWork
from reporting_service.adapters.examples import ExampleRepository


class ReportingUnitOfWork(UnitOfWork):
    examples: ExampleRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.examples = ExampleRepository(connection)
