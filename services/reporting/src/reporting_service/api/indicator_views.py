"""Response bodies of /v1/indicators: the registry's entries and an indicator's answer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from reporting_service.domain.indicators.figures import Row
from reporting_service.domain.indicators.registry import Indicator, Text
from reporting_service.domain.suppression import THRESHOLD
from reporting_service.service_layer.indicators import IndicatorAnswer

SUPPRESSION_RULE = (
    f"A cell counting fewer than {THRESHOLD} people (but at least one) is null, and so are other cells chosen so "
    "that no null cell can be recovered from the totals: null means suppressed, 0 means nobody."
)


class Words(BaseModel):
    fr: str
    en: str

    @classmethod
    def of(cls, text: Text) -> Words:
        return cls(fr=text[0], en=text[1])


class IndicatorView(BaseModel):
    id: str
    version: int
    kind: str
    title: Words
    definition: Words
    numerator: Words
    denominator: Words
    dated_by: Words = Field(description="The date that places a person in a period and in a month of the series.")
    categories: list[str]
    headline_categories: list[str] = Field(description="The categories whose share of the group is `rate`.")
    code: str = Field(description="The rule that computes it, in reporting_service.")

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorView:
        return cls(
            id=indicator.id,
            version=indicator.version,
            kind=indicator.kind,
            title=Words.of(indicator.title),
            definition=Words.of(indicator.definition),
            numerator=Words.of(indicator.numerator),
            denominator=Words.of(indicator.denominator),
            dated_by=Words.of(indicator.dated_by),
            categories=list(indicator.categories),
            headline_categories=list(indicator.headline),
            code=indicator.code,
        )


class IndicatorList(BaseModel):
    items: list[IndicatorView]
    next_cursor: str | None = None


class RowView(BaseModel):
    group: str
    people: int | None = Field(description="The group's people (null: suppressed).")
    categories: dict[str, int | None]
    figures: dict[str, Decimal | None] = Field(description="Rates, days, euros: decimal strings; null: suppressed.")
    suppressed: bool

    @classmethod
    def of(cls, row: Row) -> RowView:
        return cls(
            group=row.group,
            people=row.people,
            categories=row.categories,
            figures=row.figures,
            suppressed=row.suppressed,
        )


class Period(BaseModel):
    from_: date = Field(alias="from")
    to: date


class IndicatorAnswerView(BaseModel):
    indicator: IndicatorView
    by: str
    period: Period
    cohort_id: str | None
    complete_up_to: datetime | None = Field(description="Event time up to which the figures hold every event.")
    suppression: str
    groups: list[RowView] = Field(description="One row per group, then the `total` row.")
    series: list[RowView] = Field(description="One row per month (YYYY-MM), then the `total` row.")

    @classmethod
    def of(cls, answer: IndicatorAnswer) -> IndicatorAnswerView:
        filters = answer.filters
        return cls(
            indicator=IndicatorView.of(answer.indicator),
            by=filters.by,
            period=Period.model_validate({"from": filters.start, "to": filters.end}),
            cohort_id=str(filters.cohort_id) if filters.cohort_id else None,
            complete_up_to=answer.complete_up_to,
            suppression=SUPPRESSION_RULE,
            groups=[RowView.of(row) for row in answer.groups],
            series=[RowView.of(row) for row in answer.series],
        )
