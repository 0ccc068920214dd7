"""Answering an indicator: the caller's scope, the figures by group and by month from the active read models,
suppression, and up to which event time they are complete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound, ServiceError
from hopekit.identity.principal import Principal
from hopekit.uow import UnitOfWork
from reporting_service.adapters.completeness import active_version, read_models_state
from reporting_service.adapters.queries import IndicatorQueries
from reporting_service.adapters.queries_scope import funders_of
from reporting_service.domain.indicators.figures import Row, Table, publish, with_totals
from reporting_service.domain.indicators.registry import BY_ID, Indicator
from reporting_service.domain.scoping import Scope
from reporting_service.service_layer import kept_answers

# The programme started in 2017: the default period is all of it.
PROGRAMME_START = date(2017, 1, 1)


class PeriodReversed(ServiceError):
    code = "period_reversed"


class DimensionNotApplicable(ServiceError):
    code = "dimension_not_applicable"


@dataclass(frozen=True)
class Filters:
    by: str
    start: date
    end: date
    cohort_id: UUID | None = None

    def described(self) -> str:
        cohort = f" cohort={self.cohort_id}" if self.cohort_id else ""
        return f"by={self.by} from={self.start.isoformat()} to={self.end.isoformat()}{cohort}"


@dataclass(frozen=True)
class IndicatorAnswer:
    indicator: Indicator
    filters: Filters
    complete_up_to: datetime | None
    groups: list[Row]
    series: list[Row]


def figures_day(complete_up_to: datetime | None) -> date:
    """The day (and night) figures are given for: the one they are complete to, never after today. A follow-up
    is due only once its date has passed in figures that are complete up to then; the housed are those of that
    night."""
    today = datetime.now(UTC).date()
    return min(complete_up_to.date(), today) if complete_up_to else today


def indicator(indicator_id: str) -> Indicator:
    found = BY_ID.get(indicator_id)
    if found is None:
        raise NotFound.of("indicator")
    return found


async def scope_of(uow: UnitOfWork, principal: Principal, cohort_id: UUID | None) -> Scope:
    """The operator sees everything, a provider its cohorts, a funder its agreements; anyone else nothing (403).
    A cohort outside the caller's scope is answered as one that does not exist (404)."""
    if principal.is_operator:
        scope = Scope("everything")
    elif principal.org_kind is OrgKind.TRAINING_PROVIDER:
        scope = Scope("training_provider", principal.org_id)
    elif principal.org_kind is OrgKind.SUPPORT_PROVIDER:
        scope = Scope("support_provider", principal.org_id)
    else:
        funders = await funders_of(uow.connection, principal.org_id)
        if not funders:
            raise Forbidden("only the operator, providers and funders have figures here")
        scope = Scope("funder", principal.org_id, funders)
    if cohort_id is None:
        return scope
    version = await active_version(uow.connection)
    if version is None or not await IndicatorQueries(uow.connection, version).cohort_in_scope(cohort_id, scope):
        raise NotFound.of("cohort")
    return Scope(scope.kind, scope.org_id, scope.funder_ids, cohort_id)


def check(chosen: Indicator, filters: Filters) -> None:
    if filters.start > filters.end:
        raise PeriodReversed("the period ends before it starts: 'from' must be on or before 'to'")
    if filters.by == "funder" and chosen.kind not in ("money", "cost"):
        raise DimensionNotApplicable("only money indicators are grouped by funder")


async def answer(uow: UnitOfWork, principal: Principal, indicator_id: str, filters: Filters) -> IndicatorAnswer:
    """The indicator's figures; the same request on the same facts (``kept_answers``) is given back, not computed
    again."""
    chosen = indicator(indicator_id)
    check(chosen, filters)
    scope = await scope_of(uow, principal, filters.cohort_id)
    state = await read_models_state(uow.connection)
    complete = state.complete_up_to
    as_of = figures_day(complete)
    key = (chosen.id, chosen.version, filters, scope, as_of, state)
    kept_here = kept_answers.of(uow.connection.engine.sync_engine)
    kept = kept_here.get(key)
    if isinstance(kept, IndicatorAnswer):
        return kept
    if state.version is None:
        table = series = Table((), {})
    else:
        queries = IndicatorQueries(uow.connection, state.version)
        # A median of the whole is not made of the groups' medians: durations ask for their totals.
        groupings: list[str | None] = [filters.by] if filters.by == "month" else [filters.by, "month"]
        if chosen.kind == "duration":
            groupings.append(None)
        found = await queries.tables(chosen, groupings, scope, filters.start, filters.end, as_of)
        totals = found[-1] if chosen.kind == "duration" else None
        table = with_totals(found[0], totals)
        series = table if filters.by == "month" else with_totals(found[1], totals)
    groups, monthly = publish(chosen, table, series)
    computed = IndicatorAnswer(chosen, filters, complete, groups, monthly)
    kept_here.keep(key, computed, len(groups) + len(monthly))
    return computed
