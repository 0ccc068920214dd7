"""The deny-list's in-memory copy: what one instance knows at once, what it learns on reload, what it forgets."""

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from jwt import PyJWK

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.revocation import (
    TokenDenial,
    client_holder,
    issue_instant,
    organisation_holder,
    token_holder,
)
from gateway_service.service_layer.revocations import Revocations
from gateway_service.service_layer.verification import RevocationAwareVerifier
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import generate_signing_key
from hopekit.identity.principal import Principal
from hopekit.identity.tokens import InvalidToken, mint_token

# The fake store below writes nowhere a unit of work would reach.
NO_UOW = cast(GatewayUnitOfWork, None)


class SharedStore:
    """Stands for Redis or the database: what every instance reads."""

    def __init__(self) -> None:
        self.denials: dict[str, TokenDenial] = {}

    async def record(self, uow: Any, denial: TokenDenial) -> None:
        self.denials[denial.holder] = denial

    async def live(self) -> list[TokenDenial]:
        return [denial for denial in self.denials.values() if denial.expires_at > time.time()]

    async def of(self, uow: Any, holders: Sequence[str]) -> list[TokenDenial]:
        return [self.denials[holder] for holder in holders if holder in self.denials]

    async def close(self) -> None:
        return None


def _principal(subject: str = "hope_a", org_id: uuid.UUID | None = None) -> Principal:
    return Principal(subject, org_id or uuid.uuid4(), OrgKind.EMPLOYER, frozenset({Role.WRITER}), frozenset())


async def test_a_denial_is_known_at_once_here_and_after_a_reload_elsewhere() -> None:
    store = SharedStore()
    here, elsewhere = (Revocations(store, token_lifetime_s=900, refresh_s=1) for _ in range(2))
    principal = _principal()
    now = datetime.now(UTC)
    await here.deny(NO_UOW, client_holder(principal.subject), now)
    assert here.issued_until(principal) == int(now.timestamp())
    assert elsewhere.issued_until(principal) is None
    await elsewhere.refresh()
    assert elsewhere.issued_until(principal) == int(now.timestamp())


async def test_the_later_of_the_client_and_organisation_denials_counts() -> None:
    store = SharedStore()
    revocations = Revocations(store, token_lifetime_s=900, refresh_s=1)
    principal = _principal()
    now = datetime.now(UTC)
    await revocations.deny(NO_UOW, client_holder(principal.subject), now - timedelta(seconds=60))
    await revocations.deny(NO_UOW, organisation_holder(principal.org_id), now)
    assert revocations.issued_until(principal) == int(now.timestamp())
    assert revocations.issued_until(_principal("hope_b")) is None


async def test_a_single_tokens_denial_touches_only_that_token() -> None:
    store = SharedStore()
    revocations = Revocations(store, token_lifetime_s=900, refresh_s=1)
    org_id = uuid.uuid4()
    leaked, sibling = (replace(_principal(org_id=org_id), token_id=jti) for jti in ("jti-leaked", "jti-sibling"))
    issued = datetime.now(UTC)
    await revocations.deny(NO_UOW, token_holder("jti-leaked"), issued)
    assert revocations.issued_until(leaked) == int(issued.timestamp())
    assert revocations.issued_until(sibling) is None
    assert revocations.issued_until(_principal(org_id=org_id)) is None


async def test_a_denial_made_here_survives_a_reload_that_does_not_show_it_yet() -> None:
    class Uncommitted(SharedStore):
        async def record(self, uow: Any, denial: TokenDenial) -> None:
            return None  # written in a transaction other instances cannot see yet

    revocations = Revocations(Uncommitted(), token_lifetime_s=900, refresh_s=1)
    principal = _principal()
    await revocations.deny(NO_UOW, client_holder(principal.subject), datetime.now(UTC))
    await revocations.refresh()
    assert revocations.issued_until(principal) is not None


async def test_expired_denials_are_forgotten() -> None:
    store = SharedStore()
    revocations = Revocations(store, token_lifetime_s=1, refresh_s=1)
    principal = _principal()
    await revocations.deny(NO_UOW, client_holder(principal.subject), datetime.now(UTC) - timedelta(seconds=5))
    await revocations.refresh()
    assert revocations.issued_until(principal) is None


class _OneKey:
    def __init__(self) -> None:
        self.key = generate_signing_key()

    async def key_for(self, kid: str) -> PyJWK | None:
        return PyJWK(self.key.public_jwk()) if kid == self.key.kid else None


async def test_the_verifier_refuses_tokens_issued_up_to_the_denial_and_accepts_later_ones() -> None:
    keys = _OneKey()
    revocations = Revocations(SharedStore(), token_lifetime_s=900, refresh_s=1)
    verifier = RevocationAwareVerifier(keys, revocations, issuer="https://gw", audience="hope")
    org_id = uuid.uuid4()
    denied_at = datetime.now(UTC).replace(microsecond=500_000)

    def token(at: datetime) -> str:
        return mint_token(
            keys.key,
            issuer="https://gw",
            audience="hope",
            subject="hope_a",
            org_id=org_id,
            org_kind=OrgKind.EMPLOYER,
            roles=[Role.WRITER],
            now=at,
        )

    before, same_second, after = (token(denied_at + timedelta(seconds=s)) for s in (-10, -0.4, 1))
    await revocations.deny(NO_UOW, client_holder("hope_a"), denied_at)
    for refused in (before, same_second):
        with pytest.raises(InvalidToken, match="token revoked"):
            await verifier.verify(refused)
    assert (await verifier.verify(after)).subject == "hope_a"


def test_a_token_asked_for_within_a_denials_second_is_dated_the_next_second() -> None:
    denial = TokenDenial.at("client:hope_a", datetime(2026, 5, 4, 10, 0, 0, 700_000, tzinfo=UTC), token_lifetime_s=60)
    same_second = datetime(2026, 5, 4, 10, 0, 0, 900_000, tzinfo=UTC)
    dated = issue_instant(same_second, denial.first_valid_second)
    assert dated == datetime(2026, 5, 4, 10, 0, 1, tzinfo=UTC)
    assert not denial.refuses(int(dated.timestamp()))
    later = datetime(2026, 5, 4, 10, 0, 3, tzinfo=UTC)
    assert issue_instant(later, denial.first_valid_second) == later
    assert issue_instant(later, None) == later


class CancellationLosingStore(SharedStore):
    """A store whose client loses a cancellation that arrives inside a command (as redis-py has done): the command
    ends normally and the caller never sees the cancellation."""

    def __init__(self) -> None:
        super().__init__()
        self.reloading = asyncio.Event()
        self.closed = False

    async def live(self) -> list[TokenDenial]:
        self.reloading.set()
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            assert current is not None
            current.uncancel()  # lost
        return await super().live()

    async def close(self) -> None:
        self.closed = True


async def test_a_stop_ends_the_reloads_even_when_the_store_loses_the_cancellation() -> None:
    store = CancellationLosingStore()
    revocations = Revocations(store, token_lifetime_s=900, refresh_s=0.01)
    await revocations.start()
    store.reloading.clear()
    await asyncio.wait_for(store.reloading.wait(), 5)  # the loop is inside a reload
    stopping = asyncio.create_task(revocations.stop())
    done, _ = await asyncio.wait([stopping], timeout=2)  # not wait_for: its own cancellation would end the loop
    if not done:
        stopping.cancel()
    assert done, "the stop waited on a loop that went on"
    assert store.closed
    reloads_after_stop = asyncio.Event()
    store.reloading = reloads_after_stop
    await asyncio.sleep(0.1)
    assert not reloads_after_stop.is_set(), "the loop went on reloading after the stop"
