"""Attempts on POST /oauth/token, bounded per client id from one source address, and per source address.

Secrets are 256 random bits, so guessing one is hopeless anyway; the bound keeps it so and stops anyone from
spending the gateway's CPU on argon2 checks. Every attempt counts, good or bad. A client id is no secret (every
service sees it as its tokens' ``sub``), so its bound is counted per source address: a stranger who spends it from
elsewhere locks out only itself, never the client calling from its own address. Behind a load balancer, run
uvicorn with ``--proxy-headers --forwarded-allow-ips`` set to it so the source address is the caller's.
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import RedisError

from gateway_service.routing.limits import Counter

log = logging.getLogger(__name__)


class TokenThrottle:
    def __init__(
        self, counter: Counter, *, per_client: int, per_address: int, window_s: int, prefix: str = "token"
    ) -> None:
        """``prefix``: what is counted (``token`` for the token endpoint, ``sign-in`` for people's sign-in)."""
        self._counter = counter
        self._prefix = prefix
        self._per_client = per_client
        self._per_address = per_address
        self._window_s = window_s

    async def retry_after(self, address: str, client_id: str | None) -> int | None:
        """Seconds to wait when this attempt is one too many, else None."""
        wait = self._window_s - int(time.time()) % self._window_s
        try:
            if await self._counter.hit(f"{self._prefix}:address:{address}", self._window_s) > self._per_address:
                return wait
            per_client = f"{self._prefix}:client:{address}:{client_id}"
            if client_id and await self._counter.hit(per_client, self._window_s) > self._per_client:
                return wait
        except (RedisError, OSError):
            # The limit store being down must not stop partners from getting tokens.
            log.warning("token rate limit store unavailable; letting the attempt through", exc_info=True)
        return None

    async def close(self) -> None:
        await self._counter.close()
