"""Housing gaps: people in step 3 or 4 whose nights until the end of the step are not all covered."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from support_service.domain.housing import Placement
from support_service.domain.nights import Nights, first_uncovered_in_merged, merged

COMING_WEEK = timedelta(days=7)


class GapKind(StrEnum):
    NO_PLACEMENT_COMING_WEEK = "no_placement_coming_week"
    PLACEMENT_ENDS_BEFORE_STEP = "placement_ends_before_step"


@dataclass(frozen=True)
class StepWindow:
    """A person's current step and its dates, from enrolment's events: [starts_on, ends_on)."""

    beneficiary_id: UUID
    step: int
    nights: Nights


@dataclass(frozen=True)
class HousingGap:
    beneficiary_id: UUID
    step: int
    kind: GapKind
    uncovered_from: date
    step_ends_on: date


@dataclass(frozen=True)
class GapPosition:
    """Where a page of the list ends: its order is (first uncovered night, person, file); the file only parts
    the rare person with open files at two organisations, whom the operator sees twice."""

    uncovered_from: date
    beneficiary_id: UUID
    file_id: UUID


@dataclass(frozen=True)
class ListedGap:
    gap: HousingGap
    position: GapPosition


def housing_gaps(windows: Iterable[StepWindow], placements: Iterable[Placement], today: date) -> list[HousingGap]:
    """One gap at most per window (a person's open file), sorted by the first uncovered night. The list itself is
    computed by the database (`adapters.gaps`), which says this rule again in SQL; this is its reference.

    - nothing covers any night of the coming week (today + 7 nights, within the step): `no_placement_coming_week`;
    - otherwise a night between today and the step's end is uncovered: `placement_ends_before_step`.
    A person whose step starts after the coming week and who has no placement yet is not a gap yet.
    """
    stays: dict[UUID, list[Nights]] = defaultdict(list)
    for placement in placements:
        if not placement.nights.is_empty:
            stays[placement.beneficiary_id].append(placement.nights)
    week = Nights(today, today + COMING_WEEK)
    gaps: list[HousingGap] = []
    for window in windows:
        if window.step not in (3, 4):
            continue
        ahead = window.nights.intersection(Nights(today, max(today, window.nights.end)))
        if ahead.is_empty:
            continue
        covering = merged(stays.get(window.beneficiary_id, ()))
        this_week = window.nights.intersection(week)
        uncovered = first_uncovered_in_merged(ahead, covering)
        if uncovered is None:
            continue
        if not this_week.is_empty and not any(span.overlaps(this_week) for span in covering):
            kind = GapKind.NO_PLACEMENT_COMING_WEEK
        elif any(span.overlaps(window.nights) for span in covering):
            kind = GapKind.PLACEMENT_ENDS_BEFORE_STEP
        else:
            continue
        gaps.append(HousingGap(window.beneficiary_id, window.step, kind, uncovered, window.nights.end))
    return sorted(gaps, key=lambda gap: (gap.uncovered_from, str(gap.beneficiary_id)))
