from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from support_service.domain.actor import Actor, OrgKind, Role

AFPA_ID = UUID("00000000-0000-4000-8000-00000000a003")
NOW = datetime(2025, 9, 15, 9, 30, tzinfo=UTC)

ActorFactory = Callable[..., Actor]


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def afpa_id() -> UUID:
    return AFPA_ID


@pytest.fixture
def actor() -> ActorFactory:
    """An actor of the support provider AFPA unless told otherwise; roles as names."""

    def make(*roles: str, org_kind: OrgKind = OrgKind.SUPPORT_PROVIDER, org_id: UUID = AFPA_ID) -> Actor:
        return Actor(f"{org_kind}-{'-'.join(roles) or 'none'}", org_id, org_kind, frozenset(Role(r) for r in roles))

    return make


@pytest.fixture
def worker(actor: ActorFactory) -> Actor:
    return actor("writer")


@pytest.fixture
def new_id() -> Callable[[], UUID]:
    return uuid4
