"""The dashboard's reads: each service asked over the gateway's own pool of connections with the signed-in
person's token, the one their calls through /api/<service>/v1 carry. Every service applies its own rules to it,
so a page holds exactly what the person's organisation may see.

A read never fails a page: what the person's scopes do not cover is not asked (``not_available``), a refusal
(401, 403, 404) is ``not_available`` too, and a service that is down, slow or broken is ``unavailable``; the
page says so where the figures would be.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request

from gateway_service.api.dashboard.timing import Call, PageTiming
from gateway_service.domain.scopes import read_scope
from gateway_service.routing.service_client import ServiceClient, UpstreamError
from gateway_service.service_layer.person_sessions import PersonTokens, SignedIn
from gateway_service.settings import GatewaySettings
from hopekit.api.pagination import MAX_LIMIT
from hopekit.api.problems import Problem
from hopekit.logs import request_id_var, traceparent_var

# How many pages of a list a dashboard page follows at most, each as long as the services allow (MAX_LIMIT): pages
# of a list are asked one after another (each names the next), so a longer list would keep the page waiting.
MAX_PAGES = 30
# How many pages one screen of a long list follows at most, to fill itself when the page keeps few of each.
SCREEN_PAGES = 5
Items = list[Any]


class Status(StrEnum):
    OK = "ok"
    NOT_AVAILABLE = "not_available"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Fetched:
    status: Status
    data: Any = None
    # A list longer than a page follows (MAX_PAGES): its first items only, and the page says so.
    truncated: bool = False
    # Where a list's items continue (the service's cursor), when the page asked for part of the list only.
    next_cursor: str | None = None
    # The service's own status code, when it answered (a 400: what the page passed on was refused).
    code: int | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


def path_of(template: str, *ids: object) -> str:
    """A service path with ids put in quoted, so that no id can climb out of the path it is given."""
    return template.format(*(quote(str(value), safe="") for value in ids))


class Sources:
    """The services as one signed-in person sees them, for one page."""

    def __init__(self, request: Request, signed_in: SignedIn, timing: PageTiming | None = None) -> None:
        self.timing = timing or PageTiming()
        self._settings: GatewaySettings = request.app.state.settings
        self._client: ServiceClient = request.app.state.upstream
        self._tokens: PersonTokens = request.app.state.person_tokens
        self._signed_in = signed_in
        self.principal = signed_in.principal

    def may_read(self, service: str) -> bool:
        return service in self._settings.upstreams and read_scope(service) in self.principal.scopes

    async def get(self, service: str, path: str, **query: object) -> Fetched:
        if service not in self._settings.upstreams:
            return Fetched(Status.UNAVAILABLE)
        if read_scope(service) not in self.principal.scopes:
            return Fetched(Status.NOT_AVAILABLE)
        shown = {name: str(value) for name, value in query.items() if value is not None}
        url = self._settings.upstreams[service].rstrip("/") + path + ("?" + urlencode(shown) if shown else "")
        headers = [
            (b"authorization", b"Bearer " + (await self._tokens.token(self._signed_in)).encode()),
            (b"accept", b"application/json"),
            (b"x-request-id", (request_id_var.get() or "").encode()),
            (b"traceparent", (traceparent_var.get() or "").encode()),
        ]
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._settings.overview_timeout_s):
                status, body = await self._client.get(url, headers)
        except (UpstreamError, TimeoutError):
            return Fetched(Status.UNAVAILABLE)
        finally:
            self.timing.calls.append(Call(service, started, time.perf_counter()))
        if status in {401, 403, 404}:
            return Fetched(Status.NOT_AVAILABLE, code=status)
        if status != 200:
            return Fetched(Status.UNAVAILABLE, code=status)
        try:
            return Fetched(Status.OK, json.loads(body))
        except ValueError:
            return Fetched(Status.UNAVAILABLE)

    async def every(self, service: str, path: str, **query: object) -> Fetched:
        """Every item of a paged list (``{"items": [...], "next_cursor": ...}``), up to MAX_PAGES pages."""
        return await self.pages(service, path, query, MAX_PAGES)

    async def pages(
        self,
        service: str,
        path: str,
        query: Mapping[str, object],
        most: int,
        cursor: str | None = None,
        enough: Callable[[Items], bool] = lambda items: False,
    ) -> Fetched:
        """A paged list's items from ``cursor`` on, following at most ``most`` pages, or fewer once ``enough``
        says the items so far are; ``next_cursor`` says where the rest starts (``truncated`` when there is one)."""
        items: list[Any] = []
        for _ in range(most):
            page = await self.get(service, path, **query, limit=MAX_LIMIT, cursor=cursor)
            if not page.ok:
                return page  # never a list cut short without saying so
            items += page.data.get("items", [])
            cursor = page.data.get("next_cursor")
            if not cursor or enough(items):
                break
        return Fetched(Status.OK, items, truncated=bool(cursor), next_cursor=cursor or None)

    async def screen(
        self, service: str, path: str, after: str | None, keep: Callable[[Items], Items] = lambda items: items
    ) -> Fetched:
        """One screen of a long list, from the service's cursor ``after`` on: one page of it, or, when the page
        ``keep``s few of each (a filter the service does not have), up to SCREEN_PAGES until a page's worth is
        kept. ``next_cursor`` is where the next screen starts; a cursor the service refuses is a 400.
        A national programme's thousands of cohorts were followed page after page and written out whole: that
        page took over a second."""
        found = await self.pages(
            service, path, {}, SCREEN_PAGES, after, enough=lambda items: len(keep(items)) >= MAX_LIMIT
        )
        if not found.ok:
            if after and found.code == 400:
                raise Problem(400, "invalid-cursor", "This link to the rest of a list is not one the dashboard gave.")
            return found
        return Fetched(Status.OK, keep(found.data), next_cursor=found.next_cursor)
