"""/v1/indicators: the registry, and an indicator's figures by group and by month, within the caller's scope.
Aggregates only: any reading role, ``reporting`` included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Query

from hope_contracts.vocabulary import Role
from hopekit.api.security import READ_ROLES, requires
from hopekit.api.transaction import service_router
from hopekit.identity.principal import Principal
from reporting_service.api.dependencies import UoW
from reporting_service.api.indicator_views import IndicatorAnswerView, IndicatorList, IndicatorView
from reporting_service.domain.indicators.registry import INDICATORS
from reporting_service.service_layer import indicators
from reporting_service.service_layer.indicators import PROGRAMME_START, Filters

router = service_router(tags=["indicators"])

Reader = Annotated[Principal, Depends(requires(*READ_ROLES, Role.REPORTING))]
Dimension = Literal["region", "sector", "cohort", "provider", "track", "month", "funder"]


def filters(
    by: Annotated[Dimension, Query(description="What the groups are.")] = "region",
    start: Annotated[
        date | None, Query(alias="from", description="First day (default: the programme's start).")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day (default: today).")] = None,
    cohort: Annotated[UUID | None, Query(description="Only this cohort (404 when outside your scope).")] = None,
) -> Filters:
    return Filters(by, start or PROGRAMME_START, end or datetime.now(UTC).date(), cohort)


Chosen = Annotated[Filters, Depends(filters)]


@router.get("/v1/indicators", response_model=IndicatorList)
async def list_indicators(principal: Reader) -> IndicatorList:
    """Every indicator with its definition (French and English), numerator, denominator and code."""
    return IndicatorList(items=[IndicatorView.of(indicator) for indicator in INDICATORS])


@router.get("/v1/indicators/{indicator_id}", response_model=IndicatorAnswerView)
async def get_indicator(indicator_id: str, principal: Reader, uow: UoW, chosen: Chosen) -> IndicatorAnswerView:
    """The indicator by group and as a monthly series, small numbers suppressed, with the event time up to which
    the figures are complete."""
    return IndicatorAnswerView.of(await indicators.answer(uow, principal, indicator_id, chosen))
