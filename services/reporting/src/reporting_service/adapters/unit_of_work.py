"""The reporting unit of work: the kit's transaction (the read models' repository joins it next)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.uow import UnitOfWork


class ReportingUnitOfWork(UnitOfWork):
    def _bind(self, connection: AsyncConnection) -> None:
        pass
