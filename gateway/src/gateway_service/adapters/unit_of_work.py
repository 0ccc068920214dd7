"""The gateway unit of work: the kit's transaction plus this service's repositories."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.clients import ClientRepository
from gateway_service.adapters.organisations import OrganisationRepository
from gateway_service.adapters.people import InvitationRepository, PersonRepository, SessionRepository
from gateway_service.adapters.signing_keys import SigningKeyRepository
from gateway_service.adapters.token_denials import TokenDenialRepository
from hopekit.logs import request_id_var
from hopekit.uow import PLATFORM_ORG, UnitOfWork


class GatewayUnitOfWork(UnitOfWork):
    organisations: OrganisationRepository
    clients: ClientRepository
    signing_keys: SigningKeyRepository
    token_denials: TokenDenialRepository
    people: PersonRepository
    invitations: InvitationRepository
    sessions: SessionRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.organisations = OrganisationRepository(connection)
        self.clients = ClientRepository(connection)
        self.signing_keys = SigningKeyRepository(connection)
        self.token_denials = TokenDenialRepository(connection)
        self.people = PersonRepository(connection)
        self.invitations = InvitationRepository(connection)
        self.sessions = SessionRepository(connection)

    def audit_sign_in(
        self, actor: str, org_id: uuid.UUID | None, action: str, object_id: uuid.UUID | str, reason: str | None
    ) -> None:
        """A sign-in event, whose actor has no token yet (a person by id, or ``anonymous`` for an address no
        account has: the address itself is not written, it may be a password typed in the wrong field)."""
        self._audit_row(actor, org_id or PLATFORM_ORG, request_id_var.get(), action, "person", object_id, reason)
