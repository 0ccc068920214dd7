"""A cohort's calendar: when its step 3 (French, in a POEC) and step 4 (trade, in work-study) are planned.

Training's courses fall within a step's period, support's step ends with it, and step 4 never starts before its
planned start. An end is optional (not always known when the cohort is formed); a start is not.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from enrolment_service.domain.errors import Refusals
from enrolment_service.domain.vocabulary import Step

# What a request says: {step: (starts_on, ends_on)}, either of them possibly left out.
CalendarDates = Mapping[Step, tuple[date | None, date | None]]
PLANNED_STEPS = (Step.FRENCH_QUALIFICATION, Step.TRADE_QUALIFICATION)
# The request's names of each step's dates, so that a refusal names the field the caller sent.
FIELD_PREFIX: Mapping[Step, str] = MappingProxyType(
    {Step.FRENCH_QUALIFICATION: "french_qualification", Step.TRADE_QUALIFICATION: "trade_qualification"}
)


@dataclass(frozen=True, kw_only=True)
class StepPeriod:
    step: Step
    starts_on: date
    ends_on: date | None = None  # the step's last day, when known


@dataclass(frozen=True)
class CohortCalendar:
    """One period per planned step, in step order; valid by construction (see ``plan``)."""

    periods: tuple[StepPeriod, ...] = ()

    @classmethod
    def plan(cls, dates: CalendarDates, refused: Refusals | None = None) -> "CohortCalendar":
        """The calendar of ``{step: (starts_on, ends_on)}``. Every fault is added to ``refused`` (raised here when
        none is given), each under the field the caller sent, so that one answer names them all."""
        own = refused is None
        refusals = Refusals() if refused is None else refused
        periods: list[StepPeriod] = []
        for step in PLANNED_STEPS:
            starts_on, ends_on = dates.get(step, (None, None))
            name = FIELD_PREFIX[step]
            if starts_on is None:
                if ends_on is not None:
                    refusals.add(f"{name}_ends_on", f"needs {name}_starts_on")
                continue
            if ends_on is not None and ends_on < starts_on:
                refusals.add(f"{name}_ends_on", f"cannot be before {name}_starts_on")
                ends_on = None
            periods.append(StepPeriod(step=step, starts_on=starts_on, ends_on=ends_on))
        _check_sequence(periods, refusals)
        if own:
            refusals.raise_any()
        return cls(tuple(periods))

    @property
    def first_day(self) -> date | None:
        """The first day of the first planned step (periods are in step order and step 4 follows step 3)."""
        return self.periods[0].starts_on if self.periods else None

    def period(self, step: Step) -> StepPeriod | None:
        return next((period for period in self.periods if period.step is step), None)

    def starts_on(self, step: Step) -> date | None:
        period = self.period(step)
        return period.starts_on if period is not None else None

    def ends_on(self, step: Step) -> date | None:
        period = self.period(step)
        return period.ends_on if period is not None else None


def _check_sequence(periods: list[StepPeriod], refused: Refusals) -> None:
    """Step 4 follows step 3: it starts after step 3's last day when that is known, else not before its start."""
    by_step = {period.step: period for period in periods}
    french, trade = by_step.get(Step.FRENCH_QUALIFICATION), by_step.get(Step.TRADE_QUALIFICATION)
    if french is None or trade is None:
        return
    if french.ends_on is not None and trade.starts_on <= french.ends_on:
        refused.add("trade_qualification_starts_on", "must be after step 3's last day (french_qualification_ends_on)")
    elif trade.starts_on < french.starts_on:
        refused.add("trade_qualification_starts_on", "cannot be before french_qualification_starts_on")
