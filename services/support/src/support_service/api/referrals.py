"""/v1/files/{id}/referrals and /v1/referrals: referrals to outside services, sent with consent when information
is shared."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import UoW
from support_service.api.schemas import ReferralIn, ReferralView
from support_service.service_layer import referrals

router = service_router(tags=["referrals"])


@router.post(
    "/v1/files/{file_id}/referrals",
    status_code=status.HTTP_201_CREATED,
    response_model=ReferralView,
    dependencies=[IDEMPOTENT],
)
async def refer(file_id: UUID, body: ReferralIn, principal: Caller, uow: UoW) -> ReferralView:
    referral = await referrals.send(
        uow,
        principal,
        file_id,
        partner=body.partner,
        need_id=body.need_id,
        shares_information=body.shares_information,
        consent_recorded_on=body.consent_recorded_on,
    )
    return ReferralView.of(referral)


@router.post("/v1/referrals/{referral_id}/{action}", response_model=ReferralView)
async def move_referral(
    referral_id: UUID, action: Literal["accept", "refuse", "complete"], principal: Caller, uow: UoW
) -> ReferralView:
    return ReferralView.of(await referrals.move(uow, principal, referral_id, action))
