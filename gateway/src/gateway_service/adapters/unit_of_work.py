"""The gateway unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.clients import ClientRepository
from gateway_service.adapters.organisations import OrganisationRepository
from gateway_service.adapters.signing_keys import SigningKeyRepository
from gateway_service.adapters.token_denials import TokenDenialRepository
from hopekit.uow import UnitOfWork


class GatewayUnitOfWork(UnitOfWork):
    organisations: OrganisationRepository
    clients: ClientRepository
    signing_keys: SigningKeyRepository
    token_denials: TokenDenialRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.organisations = OrganisationRepository(connection)
        self.clients = ClientRepository(connection)
        self.signing_keys = SigningKeyRepository(connection)
        self.token_denials = TokenDenialRepository(connection)
