"""The housing gap list the database computes is the domain's rule (`domain.gaps.housing_gaps`), on SQLite and
PostgreSQL: over a few hundred random calendars (steps starting and ending inside the coming week, stays ending,
starting and following each other mid-week, holes, released stays, closed files, two organisations' files, instants
late in the UTC day), walked page by page, it lists the same gaps in the same order."""

from __future__ import annotations

import random
import uuid
from dataclasses import astuple
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from hopekit.uow import Database
from support_service.adapters.gaps import GapRepository
from support_service.adapters.schedule_tables import cohort_steps
from support_service.adapters.tables import people, placements, support_files
from support_service.domain.gaps import COMING_WEEK, GapPosition, HousingGap, StepWindow, housing_gaps
from support_service.domain.housing import Placement
from support_service.domain.nights import Nights
from support_service.domain.vocabulary import PlacementStatus

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 11)  # a Wednesday: the coming week runs to the next Tuesday night
ORGS = (uuid.UUID(int=1), uuid.UUID(int=2))
PEOPLE = 300


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


class Calendars:
    """Random people, files and stays, written as rows, and the windows and placements the domain rule reads."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {"people": [], "files": [], "steps": [], "placements": []}
        self.windows: dict[uuid.UUID | None, list[StepWindow]] = {None: [], ORGS[0]: [], ORGS[1]: []}
        self.stays: list[Placement] = []
        for _ in range(PEOPLE):
            self._person()

    def _person(self) -> None:
        rng, person, cohort = self.rng, uuid.uuid4(), uuid.uuid4()
        step = rng.choice((2, 3, 3, 4, 4))
        start = day(rng.randint(-40, 12))
        # Late in the UTC day: the step starts on that UTC day whatever the database session's zone.
        started_at = datetime.combine(start, time(rng.choice((0, 9, 23)), 30), UTC)
        self.rows["people"].append(
            {"beneficiary_id": person, "cohort_id": cohort, "current_step": step, "step_started_at": started_at}
        )
        calendar_end = rng.choice((None, None, start + timedelta(days=rng.randint(-2, 90))))
        if rng.random() < 0.5:
            self.rows["steps"].append({"cohort_id": cohort, "step": 3, "starts_on": start, "ends_on": calendar_end})
            self.rows["steps"].append({"cohort_id": cohort, "step": 4, "starts_on": start, "ends_on": calendar_end})
        else:
            calendar_end = None
        for org in rng.sample(ORGS, rng.choice((1, 1, 1, 1, 2))):
            hand_end = rng.choice((None, start + timedelta(days=rng.randint(-2, 90))))
            status = rng.choice(("active", "active", "on_hold", "closed"))
            self.rows["files"].append(
                {
                    "id": uuid.uuid4(),
                    "beneficiary_id": person,
                    "support_org_id": org,
                    "cohort_id": cohort,
                    "status": status,
                    "opened_at": started_at,
                    "step_ends_on": hand_end,
                }
            )
            end = calendar_end or hand_end or TODAY + COMING_WEEK
            if status != "closed" and step in (3, 4) and end > start:
                window = StepWindow(person, step, Nights(start, end))
                self.windows[None].append(window)
                self.windows[org].append(window)
        # Stays that never share a night (the database refuses that), some empty, some following each other.
        mornings = sorted(rng.sample(range(-60, 100), rng.choice((0, 2, 2, 4, 6))))
        for first, last in zip(mornings[::2], mornings[1::2], strict=True):
            first = first if rng.random() < 0.7 else last  # an empty stay: released before its first night
            self._stay(person, day(first), day(last))
            if rng.random() < 0.3 and last < 100:  # the next stay starts the morning this one ends
                following = min(mornings[mornings.index(last) + 1 :] or [100])
                self._stay(person, day(last), day(rng.randint(last, following)))

    def _stay(self, person: uuid.UUID, starts_on: date, ends_on: date) -> None:
        row = {
            "id": uuid.uuid4(),
            "beneficiary_id": person,
            "residence_id": uuid.uuid4(),
            "bed_id": uuid.uuid4(),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "status": "active",
            "assigned_at": datetime.now(UTC),
            "assigned_by_org_id": ORGS[0],
        }
        self.rows["placements"].append(row)
        if ends_on > TODAY:  # what the list reads: stays with nights ahead
            self.stays.append(
                Placement(
                    row["id"],
                    person,
                    row["residence_id"],
                    row["bed_id"],
                    Nights(starts_on, ends_on),
                    PlacementStatus.ACTIVE,
                )
            )

    async def write(self, database: Database) -> None:
        async with database.engine.begin() as connection:
            for table, key in (
                (people, "people"),
                (support_files, "files"),
                (cohort_steps, "steps"),
                (placements, "placements"),
            ):
                if self.rows[key]:
                    await connection.execute(table.insert(), self.rows[key])


async def listed(database: Database, org: uuid.UUID | None, page: int) -> list[HousingGap]:
    """The whole list, walked `page` gaps at a time from each page's last position."""
    found: list[HousingGap] = []
    after: GapPosition | None = None
    async with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":  # a session far from UTC: the step's day is still UTC's
            await connection.exec_driver_sql("SET TIME ZONE 'Pacific/Kiritimati'")
        while True:
            listed = await GapRepository(connection).page(org, None, TODAY, after, page)
            found.extend(item.gap for item in listed)
            if len(listed) < page:
                return found
            after = listed[-1].position


@pytest.mark.parametrize("seed", [1, 2])
async def test_the_database_lists_the_gaps_the_domain_rule_finds(database: Database, seed: int) -> None:
    calendars = Calendars(seed)
    await calendars.write(database)
    for org in (None, *ORGS):
        expected = housing_gaps(calendars.windows[org], calendars.stays, TODAY)
        found = await listed(database, org, page=7)
        assert len(expected) > 20
        # The same gaps; the order is the rule's, a person with two files at either place among equals.
        assert sorted(map(astuple, found)) == sorted(map(astuple, expected))
        assert [(g.uncovered_from, str(g.beneficiary_id)) for g in found] == [
            (g.uncovered_from, str(g.beneficiary_id)) for g in expected
        ]
