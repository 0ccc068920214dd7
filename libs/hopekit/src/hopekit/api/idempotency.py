"""``Idempotency-Key`` on creating POSTs: a retry returns the first result and creates nothing new.

A route declares it once, ``dependencies=[IDEMPOTENT]``; the endpoint's body knows nothing of it. The key is
claimed and the answer stored in the request's transaction (:mod:`hopekit.api.transaction`), with the creation,
so a crash in between leaves neither. A concurrent request with the same key blocks on the claim and then
conflicts. A retry is answered with the stored answer without running the endpoint.

A route whose caller is not :func:`~hopekit.api.security.authenticated` (the gateway's people, by session), or
whose answer holds a secret that must not be kept in clear, calls :func:`honour_key` from a dependency of its own,
with the caller and an :class:`AnswerSeal`.

A kept answer is replayed only to the caller it was given to, holding the rights it held then. The replay is
answered before the route's use case runs, so before its checks of roles, scopes and objects: without this, a
client whose roles or scopes were reduced since would still read, by its old key, what it may no longer see.
The kept fingerprint is therefore two halves in the one ``String(64)`` column every service already has (no
migration): the request's (method, path, body) and the caller's rights (:func:`_rights`), 128 bits of SHA-256
each, so that a changed body and changed rights are told apart.
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
# Hex digits of each half of the kept fingerprint: two halves fill the column's 64 characters.
_HALF = 32
KEY_DESCRIPTION = (
    "Makes the POST safe to retry: a retry returns the first result, while the client holds the rights it held then."
)


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


def _digest(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def _rights(principal: Principal) -> str:
    """Who the caller is and what it may do, as the route's checks read them. Not the token's id or issue time:
    a retry with a renewed token but the same rights is the same caller."""
    roles = ",".join(sorted(role.value for role in principal.roles))
    scopes = ",".join(sorted(principal.scopes))
    held = f"{principal.subject}\n{principal.org_id}\n{principal.org_kind.value}\n{roles}\n{scopes}"
    return _digest(held.encode())[:_HALF]


def _refused_replay(detail: str) -> Problem:
    # Neither replayed nor run again. A replay would hand the caller what it may no longer be given. Running the
    # request again cannot keep the key's promise: the key's row is unique and holds the first answer, so a second
    # answer could not be kept, and the first request has already taken effect (only a committed success is kept),
    # so running it again would create a second resource under a key meant to prevent exactly that. 422 like a
    # reused key: sending this key again will never succeed, unlike the 409 of a key in progress.
    return Problem(422, "idempotency-key-rights-changed", detail)


async def _claim(
    uow: UnitOfWork, principal: Principal, key: str, request_digest: str, seal: AnswerSeal
) -> JSONResponse | None:
    """The stored answer to an earlier request with this key, or None after claiming the key.

    ``request_digest`` is the SHA-256 of the request; rows kept before the rights were bound hold it whole."""
    table = uow.tables.idempotency
    fingerprint = request_digest[:_HALF] + _rights(principal)
    row = (
        await uow.connection.execute(select(table).where(table.c.client == principal.client_key, table.c.key == key))
    ).one_or_none()
    if row is not None:
        if row.fingerprint == request_digest:
            raise _refused_replay(
                "This Idempotency-Key's answer was kept before answers were bound to the rights they were given "
                "under, so it is not replayed. The request took effect then: read what it made, or send a new "
                "request with a new key."
            )
        if row.fingerprint[:_HALF] != fingerprint[:_HALF]:
            raise Problem(422, "idempotency-key-reused", "This Idempotency-Key was used for a different request.")
        if row.fingerprint != fingerprint:
            raise _refused_replay(
                "This Idempotency-Key was used while you held other rights (roles, scopes or organisation), so its "
                "answer is not replayed. The request took effect then: read what it made, or send a new request "
                "with a new key."
            )
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
    request_digest = _digest(f"{request.method} {request.url.path}\n".encode() + body)
    transaction = current_transaction(request)
    uow = await transaction.open()
    stored = await _claim(uow, principal, idempotency_key, request_digest, kept)
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
