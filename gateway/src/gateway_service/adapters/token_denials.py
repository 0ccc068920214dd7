"""Token denials in the gateway's database: every query on the token_denials table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.tables import token_denials
from gateway_service.domain.revocation import TokenDenial
from hopekit.db.upsert import dialect_insert


def _denial(row: Any) -> TokenDenial:
    return TokenDenial(holder=row.holder, issued_until=row.issued_until, expires_at=row.expires_at)


class TokenDenialRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def record(self, denial: TokenDenial, now: int) -> None:
        """Keeps the later of two denials of one holder; forgets the denials whose tokens have all expired."""
        await self._connection.execute(delete(token_denials).where(token_denials.c.expires_at <= now))
        statement = dialect_insert(self._connection, token_denials).values(
            holder=denial.holder, issued_until=denial.issued_until, expires_at=denial.expires_at
        )
        # Two-argument max() is SQLite's greatest().
        later = func.greatest if self._connection.dialect.name == "postgresql" else func.max
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[token_denials.c.holder],
                set_={
                    "issued_until": later(token_denials.c.issued_until, statement.excluded.issued_until),
                    "expires_at": later(token_denials.c.expires_at, statement.excluded.expires_at),
                },
            )
        )

    async def live(self, now: int) -> list[TokenDenial]:
        query = select(token_denials).where(token_denials.c.expires_at > now)
        return [_denial(row) for row in await self._connection.execute(query)]

    async def of(self, holders: Iterable[str], now: int) -> list[TokenDenial]:
        query = select(token_denials).where(token_denials.c.holder.in_(list(holders)), token_denials.c.expires_at > now)
        return [_denial(row) for row in await self._connection.execute(query)]
