"""``Idempotency-Key`` on creating POSTs: a retry returns the first result and creates nothing new.

The key is claimed and the response stored in the same transaction as the creation, so a crash in
between leaves neither. A concurrent request with the same key blocks on the claim and then conflicts.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from hopekit.api.problems import Problem
from hopekit.identity.principal import Principal
from hopekit.uow import UnitOfWork

_KEY = re.compile(r"^[\x21-\x7e]{1,160}$")


class Idempotency:
    def __init__(self, key: str | None, fingerprint: str) -> None:
        self.key = key
        self.fingerprint = fingerprint

    async def replay(self, uow: UnitOfWork, principal: Principal) -> JSONResponse | None:
        """The stored answer to an earlier request with this key, or None after claiming the key."""
        if self.key is None:
            return None
        table = uow.tables.idempotency
        row = (
            await uow.connection.execute(
                select(table).where(table.c.client == principal.client_key, table.c.key == self.key)
            )
        ).one_or_none()
        if row is not None:
            if row.fingerprint != self.fingerprint:
                raise Problem(422, "idempotency-key-reused", "This Idempotency-Key was used for a different request.")
            return JSONResponse(row.response, status_code=row.status_code, headers={"Idempotent-Replayed": "true"})
        try:
            # On failure the whole unit of work rolls back as the Problem leaves it.
            await uow.connection.execute(
                insert(table).values(
                    client=principal.client_key,
                    key=self.key,
                    fingerprint=self.fingerprint,
                    created_at=datetime.now(UTC),
                )
            )
        except IntegrityError as error:
            raise Problem(
                409, "idempotency-key-in-use", "A request with this Idempotency-Key is in progress; retry later."
            ) from error
        return None

    async def remember(self, uow: UnitOfWork, principal: Principal, status_code: int, body: BaseModel) -> None:
        if self.key is None:
            return
        table = uow.tables.idempotency
        document: Any = body.model_dump(mode="json")
        await uow.connection.execute(
            update(table)
            .where(table.c.client == principal.client_key, table.c.key == self.key)
            .values(status_code=status_code, response=document)
        )


async def idempotency(
    request: Request,
    idempotency_key: str | None = Header(
        default=None, description="Makes the POST safe to retry: a retry returns the first result."
    ),
) -> Idempotency:
    if idempotency_key is not None and not _KEY.match(idempotency_key):
        raise Problem(400, "invalid-idempotency-key", "Idempotency-Key must be 1 to 160 visible ASCII characters.")
    body = await request.body()
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode() + body).hexdigest()
    return Idempotency(idempotency_key, digest)
