"""/v1/dropout-risks: a support provider's people whose signals add up, ids and reasons only (the provider looks
the person up in enrolment). The only person-level list of reporting: not for the ``reporting`` role."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from hope_contracts.vocabulary import OrgKind
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import READ_ROLES, requires
from hopekit.api.transaction import service_router
from hopekit.identity.principal import Principal
from reporting_service.api.dependencies import UoW
from reporting_service.domain.dropout_risk import DEFAULT_MIN_SIGNALS, SIGNALS, PersonAtRisk
from reporting_service.service_layer.risks import dropout_risks

router = service_router(tags=["dropout risks"])

SupportProvider = Annotated[Principal, Depends(requires(*READ_ROLES, org_kinds=(OrgKind.SUPPORT_PROVIDER,)))]


class PersonAtRiskView(BaseModel):
    id: UUID = Field(description="The beneficiary_id (enrolment's pseudonym).")
    reasons: list[str] = Field(description=f"Its signals, among: {', '.join(SIGNALS)}.")

    @classmethod
    def of(cls, person: PersonAtRisk) -> PersonAtRiskView:
        return cls(id=person.id, reasons=list(person.reasons))


@router.get("/v1/dropout-risks", response_model=Page[PersonAtRiskView])
async def list_dropout_risks(
    principal: SupportProvider,
    uow: UoW,
    min_signals: Annotated[int, Query(ge=1, le=len(SIGNALS))] = DEFAULT_MIN_SIGNALS,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[PersonAtRiskView]:
    """The provider's own people with at least ``min_signals`` signals, by id, each with its reasons."""
    found = await dropout_risks(uow, principal, min_signals, after_id(cursor), limit + 1)
    return Page[PersonAtRiskView](
        items=[PersonAtRiskView.of(person) for person in found[:limit]], next_cursor=next_cursor(found, limit)
    )
