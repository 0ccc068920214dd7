"""The invitation link: the person chooses their password (and signs in afterwards)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from gateway_service.api.sign_in_pages import CsrfField
from gateway_service.api.web import check_csrf, redirect, render
from gateway_service.domain.passwords import PasswordRejected
from gateway_service.service_layer.people import InvitationInvalid, accept_invitation, token_hash

router = APIRouter(include_in_schema=False)

Password = Annotated[str, Form(max_length=1024)]


@router.get("/invitations/{token}")
async def invitation_page(request: Request, token: str) -> Response:
    async with request.app.state.uow_factory() as uow:
        invitation = await uow.invitations.by_token_hash(token_hash(token)) if len(token) <= 100 else None
    valid = invitation is not None and invitation.usable(datetime.now(UTC))
    return render(request, "invitation.html", status_code=200 if valid else 404, valid=valid)


@router.post("/invitations/{token}")
async def invitation_form(
    request: Request, token: str, password: Password, confirmation: Password, csrf_token: CsrfField = None
) -> Response:
    check_csrf(request, csrf_token)
    if password != confirmation:
        return render(request, "invitation.html", status_code=422, valid=True, errors=["passwords_differ"])
    try:
        async with request.app.state.uow_factory() as uow:
            await accept_invitation(uow, token[:100], password)
            await uow.commit()
    except InvitationInvalid:
        return render(request, "invitation.html", status_code=404, valid=False)
    except PasswordRejected as rejected:
        return render(request, "invitation.html", status_code=422, valid=True, errors=rejected.reasons)
    return redirect("/sign-in?notice=password_set")
