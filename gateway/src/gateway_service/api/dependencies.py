"""Per-request dependencies: the unit of work, the key ring, revocations, scopes and the operator-admin check."""

from fastapi import Request

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.api.token_throttle import TokenThrottle
from gateway_service.domain.scopes import vocabulary
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.revocations import Revocations
from gateway_service.settings import GatewaySettings
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.api.security import requires


def unit_of_work(request: Request) -> GatewayUnitOfWork:
    uow: GatewayUnitOfWork = request.app.state.uow_factory()
    return uow


def key_ring(request: Request) -> KeyRing:
    keys: KeyRing = request.app.state.key_ring
    return keys


def settings(request: Request) -> GatewaySettings:
    current: GatewaySettings = request.app.state.settings
    return current


def revocations(request: Request) -> Revocations:
    current: Revocations = request.app.state.revocations
    return current


def token_throttle(request: Request) -> TokenThrottle:
    throttle: TokenThrottle = request.app.state.token_throttle
    return throttle


def known_scopes(request: Request) -> frozenset[str]:
    return vocabulary(settings(request).upstreams)


operator_admin = requires(Role.ADMIN, org_kinds=(OrgKind.PROGRAMME_OPERATOR,))
