"""A cohort: people who go through steps 3 and 4 together, in one sector and region."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from enrolment_service.domain.calendar import CalendarDates, CohortCalendar
from enrolment_service.domain.errors import AlreadyCohortMember, CohortFull, NotEligibleForCohort, Refusals
from enrolment_service.domain.events import CohortCalendarChanged, CohortCreated, CohortMemberAdded, DomainEvent
from enrolment_service.domain.instants import as_utc
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.regions import REGIONS, require_region
from enrolment_service.domain.vocabulary import PathwayStatus, Track, sector

MAX_NAME_LENGTH = 100
# How far ahead of today (or of the cohort's first day, when later) a join date may be: a person joining at one of
# the next sessions, not a plan for months ahead that the calendar may not keep.
JOIN_AHEAD = timedelta(days=30)


@dataclass
class Cohort:
    id: UUID
    name: str
    sector_code: str
    region: str  # INSEE region code, e.g. "11" for Île-de-France
    track: Track
    training_provider_org_id: UUID
    support_provider_org_id: UUID
    capacity: int
    calendar: CohortCalendar = field(default_factory=CohortCalendar)
    member_ids: set[UUID] = field(default_factory=set)

    @classmethod
    def create(
        cls,
        *,
        cohort_id: UUID,
        name: str,
        sector_code: str,
        region: str,
        track: Track,
        training_provider_org_id: UUID,
        support_provider_org_id: UUID,
        capacity: int,
        calendar: CalendarDates | None = None,
        at: datetime,
    ) -> tuple["Cohort", CohortCreated]:
        refused = Refusals()
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME_LENGTH:
            refused.add("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
        if capacity < 1:
            refused.add("capacity", "must be at least 1")
        planned = CohortCalendar.plan(calendar or {}, refused)
        if region not in REGIONS:
            refused.add("region", "is not the INSEE code of a current French region")
        refused.raise_any()
        cohort = cls(
            id=cohort_id,
            name=name,
            sector_code=sector(sector_code).code,
            region=require_region(region),
            track=track,
            training_provider_org_id=training_provider_org_id,
            support_provider_org_id=support_provider_org_id,
            capacity=capacity,
            calendar=planned,
        )
        created = CohortCreated(
            cohort_id=cohort.id,
            sector_code=cohort.sector_code,
            region=cohort.region,
            track=cohort.track,
            training_provider_org_id=training_provider_org_id,
            support_provider_org_id=support_provider_org_id,
            capacity=capacity,
            calendar=planned.periods,
            occurred_at=as_utc(at),
        )
        return cohort, created

    def change_calendar(self, dates: CalendarDates, at: datetime) -> list[DomainEvent]:
        """The whole calendar is replaced (a step left out is no longer planned); the same calendar again
        changes nothing and publishes nothing."""
        planned = CohortCalendar.plan(dates)
        if planned == self.calendar:
            return []
        self.calendar = planned
        return [CohortCalendarChanged(cohort_id=self.id, calendar=planned.periods, occurred_at=as_utc(at))]

    @property
    def places_left(self) -> int:
        return max(self.capacity - len(self.member_ids), 0)

    def add_member(self, pathway: Pathway, at: datetime, joined_on: date | None = None) -> list[DomainEvent]:
        """Adds a person whose prerequisites are validated, from ``joined_on`` (see ``join_date``); adding someone
        twice changes nothing, and with another join date is refused."""
        if pathway.beneficiary_id in self.member_ids:
            if joined_on is not None and joined_on != pathway.cohort_joined_on:
                raise AlreadyCohortMember(self.id, pathway.cohort_joined_on)
            pathway.cohort_id = self.id
            return []
        joined = self.join_date(pathway, joined_on, as_utc(at).date())
        self._check_eligible(pathway)
        if not self.places_left:
            raise CohortFull(self.id, self.capacity)
        self.member_ids.add(pathway.beneficiary_id)
        pathway.cohort_id = self.id
        pathway.cohort_joined_on = joined
        return [
            CohortMemberAdded(
                cohort_id=self.id, beneficiary_id=pathway.beneficiary_id, joined_on=joined, occurred_at=as_utc(at)
            )
        ]

    def join_date(self, pathway: Pathway, asked: date | None, today: date) -> date:
        """The day a person joins: the one asked, else today; a person added before the cohort starts joins on its
        first day. An asked day is refused before the cohort's first day, before the person's prerequisites were
        validated, or more than ``JOIN_AHEAD`` after today (or after the first day, when that is later)."""
        first = self.calendar.first_day
        starts = max(today, first) if first is not None else today
        if asked is None:
            return starts
        refused = Refusals()
        if first is not None and asked < first:
            refused.add("joined_on", f"cannot be before the cohort's first day ({first.isoformat()})")
        eligible_since = pathway.reached_on(PathwayStatus.PRE_ORIENTATION)
        if eligible_since is not None and asked < eligible_since:
            validated = eligible_since.isoformat()
            refused.add("joined_on", f"cannot be before the person's prerequisites were validated ({validated})")
        if asked > starts + JOIN_AHEAD:
            refused.add("joined_on", f"cannot be more than {JOIN_AHEAD.days} days after {starts.isoformat()}")
        refused.raise_any()
        return asked

    def _check_eligible(self, pathway: Pathway) -> None:
        if pathway.track is not self.track:
            raise NotEligibleForCohort(f"the beneficiary is on the {pathway.track} track, the cohort on {self.track}")
        if pathway.status is not PathwayStatus.PRE_ORIENTATION:
            raise NotEligibleForCohort(
                f"only people with validated prerequisites (pre_orientation) can join, not {pathway.status}"
            )
        if pathway.cohort_id is not None:
            raise NotEligibleForCohort(f"the beneficiary is already in cohort {pathway.cohort_id}")
        if pathway.sector_code is None:
            raise NotEligibleForCohort("the beneficiary must choose a sector first")
        if pathway.sector_code != self.sector_code:
            raise NotEligibleForCohort(
                f"the beneficiary chose {pathway.sector_code}, the cohort trains for {self.sector_code}"
            )
