"""One partner's client of the gateway: its own OAuth2 token, retries where a retry is safe, and an
Idempotency-Key on every write, so that a retried or replayed write never does a thing twice."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_delay, wait_exponential_jitter

# Overload and a service starting again: worth waiting for. Anything else is an answer.
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
ILLEGAL_TRANSITION = "urn:hope:problem:illegal-transition"


class Refused(Exception):
    """The platform answered a write or read with a 4xx problem: what was asked is wrong, not the moment."""

    def __init__(self, method: str, path: str, response: httpx.Response) -> None:
        self.status = response.status_code
        try:
            self.problem: dict[str, Any] = response.json()
        except ValueError:
            self.problem = {"detail": response.text[:500]}
        super().__init__(f"{method} {path}: {self.status} {self.problem}")


class _Retry(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        super().__init__(f"{response.status_code} from {response.request.url}")


def _retried(error: BaseException) -> bool:
    return isinstance(error, _Retry | httpx.TransportError)


_backoff = wait_exponential_jitter(multiplier=0.2, max=10)


def _wait(state: RetryCallState) -> float:
    """As long as the gateway asks (Retry-After on a 429 or 503), else a growing, jittered backoff."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, _Retry):
        after = error.response.headers.get("Retry-After", "")
        if after.isdigit():
            return min(float(after), 60.0)
    return _backoff(state)


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str


def idempotency_key(*parts: object) -> str:
    """The same write of the same run always carries the same key (keys are per client, 1-160 characters)."""
    return "demo-" + hashlib.sha256("/".join(str(part) for part in parts).encode()).hexdigest()[:40]


class PartnerClient:
    """Calls ``/api/<service>/v1/...`` (or ``/admin/v1``) as one partner's API client."""

    def __init__(self, http: httpx.AsyncClient, credentials: Credentials, patience_s: float = 300) -> None:
        self._http = http
        self.credentials = credentials
        self._patience_s = patience_s
        self._token: str | None = None
        self._expires_at = 0.0

    async def _bearer(self, renew: bool = False) -> str:
        if renew or self._token is None or time.monotonic() > self._expires_at - 30:
            answer = await self._send(
                "POST",
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(self.credentials.client_id, self.credentials.client_secret),
            )
            if answer.status_code != 200:
                raise Refused("POST", "/oauth/token", answer)
            body = answer.json()
            self._token = str(body["access_token"])
            self._expires_at = time.monotonic() + float(body.get("expires_in", 300))
        return self._token

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(_retried),
            stop=stop_after_delay(self._patience_s),
            wait=_wait,
            reraise=True,
        ):
            with attempt:
                response = await self._http.request(method, path, **kwargs)
                if response.status_code in RETRIED_STATUSES:
                    raise _Retry(response)
                return response
        raise AssertionError("unreachable: tenacity reraises")

    async def request(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["Idempotency-Key"] = key
        for renew in (False, True):
            headers["Authorization"] = f"Bearer {await self._bearer(renew)}"
            response = await self._send(method, path, headers=headers, **kwargs)
            if response.status_code != 401:
                break
        if response.status_code >= 400:
            raise Refused(method, path, response)
        return response

    async def get(self, path: str, **params: Any) -> Any:
        return (await self.request("GET", path, params={k: v for k, v in params.items() if v is not None})).json()

    async def items(self, path: str, **params: Any) -> list[Any]:
        """Every item of a paginated list, page after page."""
        found: list[Any] = []
        cursor = None
        while True:
            page = await self.get(path, limit=200, cursor=cursor, **params)
            found.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return found

    async def post(self, path: str, body: Any = None, *, key: str | None = None) -> Any:
        """A write: ``key`` names it within the run (see :func:`idempotency_key`); actions without one are
        transitions the service itself refuses to repeat."""
        response = await self.request("POST", path, key=key, json=body)
        return response.json() if response.content else None

    async def act(self, path: str, body: Any = None, *, key: str | None, method: str = "POST") -> Any:
        """A move of something's state (a step started, an agreement signed, a claim paid). Such moves are not
        all idempotent in the services: a replayed run finds the thing past that state (409 illegal-transition),
        which means the move was made; None then."""
        try:
            response = await self.request(method, path, key=key, json=body)
            return response.json() if response.content else None
        except Refused as refused:
            if refused.status == 409 and refused.problem.get("type") == ILLEGAL_TRANSITION:
                return None
            raise

    async def put(self, path: str, body: Any) -> Any:
        return (await self.request("PUT", path, json=body)).json()

    async def upload(self, path: str, filename: str, content: bytes, *, key: str) -> Any:
        files = {"file": (filename, content, "text/csv")}
        return (await self.request("POST", path, key=key, files=files)).json()
