"""Token signing keys: the current one signs, recently retired ones stay published until their tokens expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.tables import signing_keys


@dataclass(frozen=True)
class StoredKey:
    kid: str
    encrypted_pem: bytes
    public_jwk: dict[str, Any]
    created_at: datetime
    retired_at: datetime | None


def _stored(row: Any) -> StoredKey:
    return StoredKey(
        kid=row.kid,
        encrypted_pem=row.private_pem,
        public_jwk=dict(row.public_jwk),
        created_at=row.created_at,
        retired_at=row.retired_at,
    )


class SigningKeyRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, key: StoredKey) -> None:
        await self._connection.execute(
            insert(signing_keys).values(
                kid=key.kid,
                private_pem=key.encrypted_pem,
                public_jwk=key.public_jwk,
                created_at=key.created_at,
                retired_at=key.retired_at,
            )
        )

    async def current(self) -> StoredKey | None:
        query = (
            select(signing_keys)
            .where(signing_keys.c.retired_at.is_(None))
            .order_by(signing_keys.c.created_at.desc())
            .limit(1)
        )
        row = (await self._connection.execute(query)).one_or_none()
        return _stored(row) if row is not None else None

    async def published(self, retired_after: datetime) -> list[StoredKey]:
        """Keys whose tokens may still be valid: active ones and those retired after ``retired_after``."""
        query = (
            select(signing_keys)
            .where(or_(signing_keys.c.retired_at.is_(None), signing_keys.c.retired_at > retired_after))
            .order_by(signing_keys.c.created_at.desc())
        )
        return [_stored(row) for row in await self._connection.execute(query)]

    async def retire_all_but(self, kid: str, at: datetime) -> None:
        await self._connection.execute(
            update(signing_keys)
            .where(signing_keys.c.kid != kid, signing_keys.c.retired_at.is_(None))
            .values(retired_at=at)
        )
