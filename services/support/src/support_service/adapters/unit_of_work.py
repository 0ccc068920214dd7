"""The support unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.uow import UnitOfWork
from support_service.adapters.examples import ExampleRepository


class SupportUnitOfWork(UnitOfWork):
    examples: ExampleRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.examples = ExampleRepository(connection)
