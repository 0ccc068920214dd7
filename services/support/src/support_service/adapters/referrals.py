"""Referrals to outside services."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from support_service.adapters.tables import referrals
from support_service.domain.referral import Referral
from support_service.domain.vocabulary import Partner, ReferralStatus


class ReferralRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, referral: Referral) -> None:
        sent = referral.history[0]
        await self._connection.execute(
            insert(referrals).values(
                id=referral.id,
                file_id=referral.file_id,
                beneficiary_id=referral.beneficiary_id,
                need_id=referral.need_id,
                partner=referral.partner.value,
                shares_information=referral.shares_information,
                consent_recorded_on=referral.consent_recorded_on,
                status=referral.status.value,
                sent_at=sent.at,
                sent_by=sent.actor,
            )
        )

    async def get(self, referral_id: UUID) -> Referral | None:
        row = (await self._connection.execute(select(referrals).where(referrals.c.id == referral_id))).first()
        if row is None:
            return None
        return Referral(
            row.id,
            row.file_id,
            row.beneficiary_id,
            Partner(row.partner),
            row.need_id,
            bool(row.shares_information),
            row.consent_recorded_on,
            ReferralStatus(row.status),
        )

    async def save_status(self, referral: Referral) -> None:
        await self._connection.execute(
            update(referrals).where(referrals.c.id == referral.id).values(status=referral.status.value)
        )

    async def pseudonymise(self, beneficiary_id: UUID, pseudonym: UUID) -> None:
        await self._connection.execute(
            update(referrals).where(referrals.c.beneficiary_id == beneficiary_id).values(beneficiary_id=pseudonym)
        )
