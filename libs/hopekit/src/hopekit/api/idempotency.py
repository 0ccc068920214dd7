"""``Idempotency-Key`` on creating POSTs: a retry returns the first result and creates nothing new.

A route declares it once, ``dependencies=[IDEMPOTENT]``; the endpoint's body knows nothing of it. The key is
claimed and the answer stored in the request's transaction (:mod:`hopekit.api.transaction`), with the creation,
so a crash in between leaves neither. A concurrent request with the same key blocks on the claim and then
conflicts. A retry is answered with the stored answer without running the endpoint.

A route whose caller is not :func:`~hopekit.api.security.authenticated` (the gateway's people, by session), or
whose answer holds a secret that must not be kept in clear, calls :func:`honour_key` from a dependency of its own,
with the caller and an :class:`AnswerSeal`.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any, Protocol

from fastapi import Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from hopekit.api.problems import Problem
from hopekit.api.security import authenticated
from hopekit.api.transaction import Replayed, current_transaction
from hopekit.identity.principal import Principal
from hopekit.uow import UnitOfWork

_KEY = re.compile(r"^[\x21-\x7e]{1,160}$")
KEY_DESCRIPTION = "Makes the POST safe to retry: a retry returns the first result."


class AnswerSeal(Protocol):
    """How a kept answer is stored: ``seal`` before it is written, ``open`` before it is replayed. ``bound_to``
    names the caller and the key, so that a sealed answer moved to another row does not open."""

    def seal(self, document: Any, bound_to: str) -> Any: ...

    def open(self, stored: Any, bound_to: str) -> Any: ...


def _bound(principal: Principal, key: str) -> str:
    return f"{principal.client_key}\n{key}"


class _InClear:
    def seal(self, document: Any, bound_to: str) -> Any:
        return document

    def open(self, stored: Any, bound_to: str) -> Any:
        return stored


async def _claim(
    uow: UnitOfWork, principal: Principal, key: str, fingerprint: str, seal: AnswerSeal
) -> JSONResponse | None:
    """The stored answer to an earlier request with this key, or None after claiming the key."""
    table = uow.tables.idempotency
    row = (
        await uow.connection.execute(select(table).where(table.c.client == principal.client_key, table.c.key == key))
    ).one_or_none()
    if row is not None:
        if row.fingerprint != fingerprint:
            raise Problem(422, "idempotency-key-reused", "This Idempotency-Key was used for a different request.")
        answer = seal.open(row.response, _bound(principal, key))
        return JSONResponse(answer, status_code=row.status_code, headers={"Idempotent-Replayed": "true"})
    try:
        # On failure the whole unit of work rolls back as the Problem leaves it.
        await uow.connection.execute(
            insert(table).values(
                client=principal.client_key, key=key, fingerprint=fingerprint, created_at=datetime.now(UTC)
            )
        )
    except IntegrityError as error:
        raise Problem(
            409, "idempotency-key-in-use", "A request with this Idempotency-Key is in progress; retry later."
        ) from error
    return None


async def idempotent(
    request: Request,
    principal: Principal = Depends(authenticated),
    idempotency_key: str | None = Header(default=None, description=KEY_DESCRIPTION),
) -> None:
    await honour_key(request, principal, idempotency_key)


async def honour_key(
    request: Request, principal: Principal, idempotency_key: str | None, seal: AnswerSeal | None = None
) -> None:
    """The check of :func:`idempotent`, for a caller found otherwise, its answer kept through ``seal``."""
    kept = seal or _InClear()
    if idempotency_key is None:
        return
    if not _KEY.match(idempotency_key):
        raise Problem(400, "invalid-idempotency-key", "Idempotency-Key must be 1 to 160 visible ASCII characters.")
    body = await request.body()
    fingerprint = hashlib.sha256(f"{request.method} {request.url.path}\n".encode() + body).hexdigest()
    transaction = current_transaction(request)
    uow = await transaction.open()
    stored = await _claim(uow, principal, idempotency_key, fingerprint, kept)
    if stored is not None:
        raise Replayed(stored)

    async def remember(uow: UnitOfWork, response: Response) -> None:
        table = uow.tables.idempotency
        document: Any = json.loads(bytes(response.body))
        sealed = kept.seal(document, _bound(principal, idempotency_key))
        await uow.connection.execute(
            update(table)
            .where(table.c.client == principal.client_key, table.c.key == idempotency_key)
            .values(status_code=response.status_code, response=sealed)
        )

    transaction.before_commit.append(remember)


IDEMPOTENT = Depends(idempotent)
