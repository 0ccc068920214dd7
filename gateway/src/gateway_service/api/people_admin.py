"""/admin/v1 for people: the programme operator's admin invites and manages anyone; an organisation's admin its
own people. An admin calls with a bearer token (an admin client) or, signed in, with the session cookie and
the page's CSRF token in ``X-CSRF-Token``."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.api.dependencies import known_scopes
from gateway_service.api.idempotency import idempotent_for
from gateway_service.api.people_schemas import InvitationLink, NewInvitation, NewPerson, PersonChange, PersonView
from gateway_service.api.web import check_call_csrf, csrf_key, settings_of, signed_in
from gateway_service.domain.csrf import CSRF_HEADER
from gateway_service.service_layer import people
from hope_contracts.vocabulary import Role
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.problems import Problem
from hopekit.api.security import authenticated_scope
from hopekit.api.transaction import service_router, unit_of_work
from hopekit.identity.principal import Principal

router = service_router(prefix="/admin/v1", tags=["admin: people"])

_bearer = HTTPBearer(auto_error=False, description="An admin client's access token (or a signed-in admin's session)")


async def people_admin(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """An admin: by bearer token, or by a complete session (with its CSRF token on anything but a read)."""
    if "authorization" in request.headers:
        principal = await authenticated_scope(request.scope)
    else:
        session = await signed_in(request)
        if session is None or not session.session.complete:
            raise Problem(401, "unauthenticated", "A bearer token or a signed-in session is required.")
        check_call_csrf(csrf_key(request), request.method, session.cookie, request.headers.get(CSRF_HEADER))
        principal = session.principal
    if not principal.has_role(Role.ADMIN):
        raise Problem(403, "forbidden-role", "Your roles do not allow this action.", required_roles=["admin"])
    return principal


Admin = Annotated[Principal, Depends(people_admin)]
UoW = Annotated[GatewayUnitOfWork, Depends(unit_of_work)]
Vocabulary = Annotated[frozenset[str], Depends(known_scopes)]
# On the creating POSTs: a retry with the same Idempotency-Key gets the first answer (its link included).
IDEMPOTENT = idempotent_for(people_admin)

_INVITED: dict[int | str, dict[str, Any]] = {
    409: {"description": "The address has an account already, or the organisation or person is deactivated"}
}


def _link(request: Request, issued: people.IssuedInvitation) -> InvitationLink:
    base = settings_of(request).public_url.rstrip("/")
    return InvitationLink(
        person=PersonView.of(issued.person),
        invitation_url=f"{base}/invitations/{issued.token}",
        expires_at=issued.expires_at,
    )


def _lifetime(request: Request) -> timedelta:
    return timedelta(seconds=settings_of(request).invitation_ttl_s)


@router.post(
    "/organisations/{org_id}/people",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationLink,
    responses=_INVITED,
    dependencies=[IDEMPOTENT],
)
async def invite_person(
    org_id: UUID, body: NewPerson, request: Request, principal: Admin, uow: UoW, scopes: Vocabulary
) -> InvitationLink:
    """A person of the organisation, and their invitation link (shown once: send it to them). ``admin`` and
    ``medical`` people set up a second factor when they first sign in."""
    issued = await people.invite(
        uow,
        principal,
        org_id,
        email=body.email,
        display_name=body.display_name,
        roles=body.roles,
        scopes=body.scopes,
        locale=body.locale,
        known_scopes=scopes,
        lifetime=_lifetime(request),
    )
    return _link(request, issued)


@router.get("/organisations/{org_id}/people", response_model=Page[PersonView])
async def list_people(
    org_id: UUID,
    principal: Admin,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[PersonView]:
    if not people.manages(principal, org_id):
        raise Problem(404, "organisation-not-found", "no such organisation")
    found = await uow.people.of_organisation(org_id, after_id(cursor), limit + 1)
    return page_of(found, limit, PersonView.of)


@router.get("/people/{person_id}", response_model=PersonView)
async def get_person(person_id: UUID, principal: Admin, uow: UoW) -> PersonView:
    return PersonView.of(await people.managed_person(uow, principal, person_id))


@router.patch("/people/{person_id}", response_model=PersonView)
async def change_person(
    person_id: UUID, body: PersonChange, principal: Admin, uow: UoW, scopes: Vocabulary
) -> PersonView:
    """New roles or scopes, or (de)activation; the person's sessions end at once and they sign in again."""
    person = await people.change_person(
        uow, principal, person_id, scopes, roles=body.roles, scopes=body.scopes, active=body.active
    )
    return PersonView.of(person)


@router.post(
    "/people/{person_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationLink,
    responses=_INVITED,
    dependencies=[IDEMPOTENT],
)
async def reinvite_person(
    person_id: UUID, body: NewInvitation, request: Request, principal: Admin, uow: UoW
) -> InvitationLink:
    """A new link to set the password (forgotten, or the first link expired); the earlier links stop working."""
    issued = await people.reinvite(
        uow, principal, person_id, _lifetime(request), reset_second_factor=body.reset_second_factor
    )
    return _link(request, issued)


@router.post("/people/{person_id}/end-sessions", status_code=status.HTTP_204_NO_CONTENT)
async def end_sessions(person_id: UUID, principal: Admin, uow: UoW) -> None:
    """Every session of the person ends now (a lost laptop): the cookies stop working on the next request."""
    await people.end_sessions(uow, principal, person_id)
