"""A cohort's calendar, as enrolment plans it: a cohort's course for a step falls within that step's period.

A cohort whose calendar does not plan the step (yet) sets no bound, as before calendars existed; once the
period is known, a course outside it is refused with every date at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from training_service.domain.errors import Refusals
from training_service.domain.vocabulary import Step


@dataclass(frozen=True)
class PlannedPeriod:
    """When a cohort's step is planned; ``ends_on`` None while its end is not planned yet."""

    step: Step
    starts_on: date
    ends_on: date | None = None

    def describe(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on is not None else "an end not planned yet"
        return f"the cohort's step {int(self.step)} period ({self.starts_on.isoformat()} to {end})"


def check_within(period: PlannedPeriod | None, starts_on: date, ends_on: date) -> None:
    """Refuses (422, both dates named when both are at fault) a course's dates outside ``period``."""
    if period is None:
        return
    refused = Refusals()
    if starts_on < period.starts_on:
        refused.add("starts_on", f"before the start of {period.describe()}")
    elif period.ends_on is not None and starts_on > period.ends_on:
        refused.add("starts_on", f"after the end of {period.describe()}")
    if period.ends_on is not None and ends_on > period.ends_on:
        refused.add("ends_on", f"after the end of {period.describe()}")
    elif ends_on < period.starts_on:
        refused.add("ends_on", f"before the start of {period.describe()}")
    refused.raise_any()
