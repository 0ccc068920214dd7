"""The request's transaction, owned by the kit: endpoints never open, commit or roll back a unit of work.

A router made with :func:`service_router` runs each request in one unit of work, opened the first time the
endpoint (or a dependency) asks for :func:`unit_of_work`. It commits once the endpoint has returned an answer
below 400 and that answer is built, and only then is the answer sent: a failed commit is answered as an error,
never as a success for something not stored. Any error, or an answer of 400 or more, rolls everything back.
Errors that name their category (:mod:`hopekit.errors`) become their problem document here. A GET or HEAD
changes nothing but its audit rows: its unit of work runs without BEGIN and COMMIT (``UnitOfWork.autocommit``),
its audit rows still written, in one statement, before the answer is sent.

A route wrapper rather than a dependency with ``yield``: the wrapper sees the finished answer, which the
idempotency record stores, and its place in the request (after the answer is built, before it is sent) does not
depend on the dependency scopes of the FastAPI version.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from hopekit.api.problems import categorised_problem
from hopekit.uow import UnitOfWork

_STATE = "hopekit_transaction"
# Requests that change nothing but their audit rows: no BEGIN and COMMIT around them (see UnitOfWork.autocommit).
_READS = frozenset({"GET", "HEAD"})


class Replayed(Exception):
    """Raised by the idempotency check to answer with the stored response and run nothing."""

    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


class Transaction:
    """One request's unit of work, opened on first use."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self.uow: UnitOfWork | None = None
        # Run with the answer just before the commit (the idempotency record stores the answer with the change).
        self.before_commit: list[Callable[[UnitOfWork, Response], Awaitable[None]]] = []

    async def open(self) -> UnitOfWork:
        if self.uow is None:
            uow: UnitOfWork = self._request.app.state.uow_factory()
            uow.autocommit = self._request.method in _READS
            await uow.__aenter__()
            self.uow = uow
        return self.uow

    async def commit(self, response: Response) -> None:
        if self.uow is None:
            return
        for step in self.before_commit:
            await step(self.uow, response)
        await self.uow.commit()

    async def close(self) -> None:
        if self.uow is not None:
            uow, self.uow = self.uow, None
            await uow.__aexit__(None, None, None)


def current_transaction(request: Request) -> Transaction:
    transaction = getattr(request.state, _STATE, None)
    if not isinstance(transaction, Transaction):
        raise RuntimeError("this route has no transaction: make its router with hopekit.api.transaction.service_router")
    return transaction


async def unit_of_work(request: Request) -> Any:
    """Dependency: the request's unit of work. Typed ``Any`` so that a service annotates its own subclass:
    ``Annotated[EnrolmentUnitOfWork, Depends(unit_of_work)]``."""
    return await current_transaction(request).open()


class TransactionRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            transaction = Transaction(request)
            setattr(request.state, _STATE, transaction)
            try:
                try:
                    response = await handler(request)
                except Replayed as replay:
                    return replay.response
                except Exception as error:
                    problem = categorised_problem(error)
                    if problem is not None:
                        raise problem from error
                    raise
                if response.status_code < 400:
                    await transaction.commit(response)
                return response
            finally:
                # Rolls back whatever was not committed.
                await transaction.close()

        return run


def service_router(**options: Any) -> APIRouter:
    """An ``APIRouter`` whose every route runs in the request's transaction."""
    return APIRouter(route_class=TransactionRoute, **options)
