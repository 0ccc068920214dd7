"""The calendars support follows: cohorts' step periods (enrolment) and the days people are in training
(training's scheduled sessions), and the meal entitlements published from them. Same metadata as ``tables``."""

from sqlalchemy import CheckConstraint, Column, Date, Index, Integer, Table, Uuid

from hopekit.db.types import UTCDateTime
from support_service.adapters.tables import metadata

# A cohort's calendar as last published: one row per planned step; the version says which event set it.
cohort_calendars = Table(
    "cohort_calendars",
    metadata,
    Column("cohort_id", Uuid, primary_key=True),
    Column("set_at", UTCDateTime, nullable=False),
)

cohort_steps = Table(
    "cohort_steps",
    metadata,
    Column("cohort_id", Uuid, primary_key=True),
    Column("step", Integer, primary_key=True, autoincrement=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),  # not known yet
    CheckConstraint("step IN (3, 4)", name="step"),
)

# Training's sessions of a cohort's course or of one person's: the days they are in training.
scheduled_sessions = Table(
    "scheduled_sessions",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("course_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid, nullable=True),
    Column("beneficiary_id", Uuid, nullable=True),
    Column("held_on", Date, nullable=False),
    CheckConstraint("(cohort_id IS NULL) <> (beneficiary_id IS NULL)", name="cohort_or_person"),
    Index("ix_scheduled_sessions_cohort_id_held_on", "cohort_id", "held_on"),
    Index("ix_scheduled_sessions_beneficiary_id_held_on", "beneficiary_id", "held_on"),
)

# What was last published per person and month (``meals_entitled``): a month is sent again only when it changes.
meal_entitlements = Table(
    "meal_entitlements",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("breakfasts", Integer, nullable=False),
    Column("lunches", Integer, nullable=False),
    Column("dinners", Integer, nullable=False),
    Column("entitled_at", UTCDateTime, nullable=False),
)
