"""The second factor: entering a code, or setting up an authenticator the first time a role needs one. Both
work only on a session awaiting its second factor; success replaces it with a complete one (a new cookie)."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated

from cryptography.exceptions import InvalidTag
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from gateway_service.api.sign_in_pages import CsrfField, address_of, lockout_policy, signed_in_page, throttled
from gateway_service.api.web import check_csrf, redirect, render, signed_in
from gateway_service.service_layer import second_factor as totp
from gateway_service.service_layer.person_sessions import SignedIn
from gateway_service.service_layer.sealing import Sealer
from gateway_service.service_layer.sign_in import second_factor

router = APIRouter(include_in_schema=False)

Code = Annotated[str, Form(max_length=16)]


async def _awaiting(request: Request) -> SignedIn | Response:
    """The session awaiting its second factor, or where to go instead."""
    session = await signed_in(request)
    if session is None:
        return redirect("/sign-in")
    if session.session.complete:
        return redirect("/dashboard")
    return session


def _setup_sealer(request: Request) -> Sealer:
    sealer: Sealer = request.app.state.totp_setup_sealer
    return sealer


def _stored_sealer(request: Request) -> Sealer:
    sealer: Sealer = request.app.state.totp_sealer
    return sealer


@router.get("/sign-in/second-factor")
async def code_page(request: Request) -> Response:
    session = await _awaiting(request)
    if not isinstance(session, SignedIn):
        return session
    if not session.person.has_second_factor:
        return redirect("/second-factor/setup")
    return render(request, "second_factor.html", session)


@router.post("/sign-in/second-factor")
async def code_form(request: Request, code: Code, csrf_token: CsrfField = None) -> Response:
    check_csrf(request, csrf_token)
    session = await _awaiting(request)
    if not isinstance(session, SignedIn):
        return session
    if (wait := await throttled(request)) is not None:
        return wait
    return await _verify(request, session, code, None)


async def _verify(request: Request, session: SignedIn, code: str, new_secret: str | None) -> Response:
    async with request.app.state.uow_factory() as uow:
        result = await second_factor(
            uow,
            session.session,
            code,
            datetime.now(UTC),
            lockout_policy(request),
            _stored_sealer(request),
            address_of(request),
            new_secret=new_secret,
        )
        await uow.commit()
    if not result.refused:
        return signed_in_page(request, result)
    if new_secret is not None:
        return _setup_page(request, session, new_secret, status_code=401, errors=["second_factor_failed"])
    return render(request, "second_factor.html", session, status_code=401, errors=["second_factor_failed"])


def _setup_page(
    request: Request, session: SignedIn, secret: str, *, status_code: int = 200, errors: list[str] | None = None
) -> Response:
    # The new secret travels sealed in the form (bound to this session) until a code proves it was set up.
    sealed = _setup_sealer(request).seal(secret, str(session.session.id))
    return render(
        request,
        "second_factor_setup.html",
        session,
        status_code=status_code,
        errors=errors,
        secret_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        otpauth_uri=totp.provisioning_uri(secret, session.person.email),
        sealed_secret=base64.urlsafe_b64encode(sealed).decode(),
    )


@router.get("/second-factor/setup")
async def setup_page(request: Request) -> Response:
    session = await _awaiting(request)
    if not isinstance(session, SignedIn):
        return session
    if session.person.has_second_factor:
        return redirect("/sign-in/second-factor")
    return _setup_page(request, session, totp.new_secret())


@router.post("/second-factor/setup")
async def setup_form(
    request: Request,
    code: Code,
    sealed_secret: Annotated[str, Form(max_length=512)],
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(request, csrf_token)
    session = await _awaiting(request)
    if not isinstance(session, SignedIn):
        return session
    if session.person.has_second_factor:
        return redirect("/sign-in/second-factor")
    if (wait := await throttled(request)) is not None:
        return wait
    try:
        secret = _setup_sealer(request).open(base64.urlsafe_b64decode(sealed_secret), str(session.session.id))
    except (InvalidTag, ValueError, binascii.Error):
        # Not a secret this gateway showed this session: start the set-up again.
        return redirect("/second-factor/setup")
    return await _verify(request, session, code, secret)
