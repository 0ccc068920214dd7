"""Who may see and change what (issue 15, "Events and access").

- the programme operator reads everything, and writes with the writer or admin role;
- a funder-side reader is a caller whose organisation is some funder's ``org_id``: it reads that funder, its
  agreements, their claims and money views, and nothing else;
- a training provider reads the money view of the cohorts it trains;
- every other organisation gets 403 on lists and 404 on objects (existence is not disclosed).
"""

from __future__ import annotations

from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.actor import Actor
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


def actor(principal: Principal) -> Actor:
    return Actor(principal.subject, principal.org_id)


def ensure_operator_writer(principal: Principal) -> None:
    if not principal.is_operator:
        raise Forbidden("only the programme operator manages funding")
    if not principal.can_write():
        raise Forbidden("this change needs the writer or admin role")


async def funder_scope(uow: FundingUnitOfWork, principal: Principal) -> set[UUID] | None:
    """The funders whose records the caller may list: None for all; Forbidden when none."""
    if not principal.can_read():
        raise Forbidden("reading needs the reader, writer or admin role")
    if principal.is_operator:
        return None
    own = await uow.reference.funder_ids_of_org(principal.org_id)
    if not own:
        raise Forbidden(f"an organisation of kind {principal.org_kind.value} has no access to funding records")
    return own


async def ensure_sees_funder(uow: FundingUnitOfWork, principal: Principal, funder_id: UUID, what: str) -> None:
    """404 (never 403) on an object the caller may not see."""
    if not principal.can_read():
        raise NotFound(f"no such {what}")
    if principal.is_operator:
        return
    if funder_id not in await uow.reference.funder_ids_of_org(principal.org_id):
        raise NotFound(f"no such {what}")


async def ensure_sees_cohort(uow: FundingUnitOfWork, principal: Principal, cohort_id: UUID) -> None:
    if principal.can_read() and principal.is_operator:
        return
    if principal.can_read() and principal.org_kind is OrgKind.TRAINING_PROVIDER:
        cohort = await uow.cohorts.get(cohort_id)
        if cohort is not None and cohort.training_provider_org_id == principal.org_id:
            return
    raise NotFound.of("cohort")


def ensure_operator_reader(principal: Principal, what: str) -> None:
    if not (principal.is_operator and principal.can_read()):
        raise NotFound(f"no such {what}")


def ensure_operator_lister(principal: Principal) -> None:
    if not principal.can_read():
        raise Forbidden("reading needs the reader, writer or admin role")
    if not principal.is_operator:
        raise Forbidden("only the programme operator lists these")
