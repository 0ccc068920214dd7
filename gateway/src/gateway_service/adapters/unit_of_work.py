"""The gateway unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.clients import ClientRepository
from gateway_service.adapters.organisations import OrganisationRepository
from gateway_service.adapters.signing_keys import SigningKeyRepository
from hopekit.uow import UnitOfWork


class GatewayUnitOfWork(UnitOfWork):
    organisations: OrganisationRepository
    clients: ClientRepository
    signing_keys: SigningKeyRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.organisations = OrganisationRepository(connection)
        self.clients = ClientRepository(connection)
        self.signing_keys = SigningKeyRepository(connection)
