"""Which tokens the gateway refuses before they expire, known to every instance without I/O per request.

Each instance keeps the live denials in memory and reloads them from the shared store every ``refresh_s``
seconds; the instance that records a denial knows it at once. A denial made elsewhere therefore bites here
within ``refresh_s`` plus one store round trip. If the store cannot be read, the last copy is kept (and its
denials still hold) until a reload succeeds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from gateway_service.adapters.denial_stores import DenialStore
from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.revocation import TokenDenial, client_holder, organisation_holder, token_holder
from hopekit.identity.principal import Principal

log = logging.getLogger(__name__)

_STORE_ERRORS = (RedisError, SQLAlchemyError, OSError)
# How long a stop waits for the reload loop to end (well inside the lifespan's shutdown allowance).
STOP_WAIT_S = 5.0


def _latest(denials: Iterable[TokenDenial]) -> dict[str, TokenDenial]:
    latest: dict[str, TokenDenial] = {}
    for denial in denials:
        known = latest.get(denial.holder)
        if known is None or denial.issued_until > known.issued_until:
            latest[denial.holder] = denial
    return latest


class Revocations:
    def __init__(self, store: DenialStore, *, token_lifetime_s: int, refresh_s: float) -> None:
        self._store = store
        self._lifetime_s = token_lifetime_s
        self.refresh_s = refresh_s
        self._denials: dict[str, TokenDenial] = {}
        # Denied here: kept even when a reload does not show them yet (their transaction may not be committed).
        self._noted: dict[str, TokenDenial] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    async def deny(self, uow: GatewayUnitOfWork, holder: str, at: datetime) -> TokenDenial:
        denial = TokenDenial.at(holder, at, token_lifetime_s=self._lifetime_s)
        await self._store.record(uow, denial)
        self._noted = _latest([*self._noted.values(), denial])
        self._denials = _latest([*self._denials.values(), denial])
        return denial

    def issued_until(self, principal: Principal) -> int | None:
        """The hot path: up to three dictionary lookups. Tokens of ``principal`` (its client, its organisation, or
        this very token) issued up to this second are refused."""
        if not self._denials:
            return None
        holders = [client_holder(principal.subject), organisation_holder(principal.org_id)]
        if principal.token_id is not None:
            holders.append(token_holder(principal.token_id))
        found = [denial.issued_until for holder in holders if (denial := self._denials.get(holder)) is not None]
        return max(found, default=None)

    async def first_valid_second(self, uow: GatewayUnitOfWork, client_id: str, org_id: UUID) -> int | None:
        """The earliest ``iat`` a new token of this client may carry, asked of the store (other instances' too)."""
        holders = [client_holder(client_id), organisation_holder(org_id)]
        try:
            denials = await self._store.of(uow, holders)
        except _STORE_ERRORS:
            log.warning("token deny-list unavailable; dating the token from this instance's copy", exc_info=True)
            denials = [self._denials[holder] for holder in holders if holder in self._denials]
        return max((denial.first_valid_second for denial in denials), default=None)

    async def refresh(self) -> None:
        stored = await self._store.live()
        now = int(time.time())
        self._noted = {holder: denial for holder, denial in self._noted.items() if denial.expires_at > now}
        self._denials = _latest([*stored, *self._noted.values()])

    async def _keep_fresh(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.refresh_s)
            try:
                await self.refresh()
            except _STORE_ERRORS:
                log.warning("token deny-list unavailable; keeping the last copy", exc_info=True)

    async def start(self) -> None:
        try:
            await self.refresh()
        except _STORE_ERRORS:
            log.warning("token deny-list unavailable at start; retrying in the background", exc_info=True)
        self._task = asyncio.create_task(self._keep_fresh(), name="gateway-token-denials")

    async def stop(self) -> None:
        """Ends the reload loop, then closes the store. The loop is told by a flag as well as cancelled, and waited
        for a bounded time: a cancellation that arrives while the store's client is inside a command can be lost
        there (redis-py has lost them: redis/redis-py#2028, #2624), and the loop would go on reloading with the stop
        waiting on it. (A gateway's shutdown in the Redis revocation test once ran out its 30 s allowance, 2026-12-06,
        not reproduced in 12 runs since: this is one way it could, not a cause seen.)"""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            done, _ = await asyncio.wait([self._task], timeout=STOP_WAIT_S)
            if not done:
                log.warning("the token deny-list's reload did not stop within %.0fs; closing without it", STOP_WAIT_S)
            elif not self._task.cancelled():
                self._task.result()  # the loop's own failure (not the store's: it logs those) is raised, as ever
        await self._store.close()
