"""The training schema: courses, sessions, attendance, alerts, assessments, qualifications, and the
projection of enrolment's events (who is in which cohort and step)."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Time,
    Uuid,
)

from hopekit.cohorts import add_cohort_table
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime, hours
from hopekit.partners import add_partner_table

metadata = make_metadata()
kit = add_kit_tables(metadata)
# The partner organisations, as the gateway's events describe them (hopekit.partners).
partners = add_partner_table(metadata)

# --- projection of enrolment ---------------------------------------------------------------
cohorts = add_cohort_table(metadata, "track", "sector_code", "training_provider_org_id")
# A provider's cohorts are looked up by provider.
Index("ix_cohorts_training_provider_org_id", cohorts.c.training_provider_org_id)

# A cohort's calendar as enrolment last described it (cohort created, calendar changed): the planned period of
# each step it plans, replaced whole by a newer description (``as_of``, the event's time), never by an older one.
cohort_calendars = Table(
    "cohort_calendars",
    metadata,
    Column("cohort_id", Uuid, primary_key=True),
    Column("as_of", UTCDateTime, nullable=False),
)

cohort_step_periods = Table(
    "cohort_step_periods",
    metadata,
    Column("cohort_id", Uuid, ForeignKey("cohort_calendars.cohort_id", ondelete="CASCADE"), primary_key=True),
    Column("step", Integer, primary_key=True, autoincrement=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),  # not planned yet
)

cohort_members = Table(
    "cohort_members",
    metadata,
    Column("cohort_id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True, index=True),
    # When enrolment added the person (the member-added event's time): no attendance is taken before that day.
    Column("joined_at", UTCDateTime, nullable=True),
)

participants = Table(
    "participants",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("track", String(20), nullable=True),
    Column("withdrawn_at", UTCDateTime, nullable=True),
    # The immigration office that registered the person (enrolment's registered event): the one office that may
    # read their training records, as in enrolment.
    Column("registered_by_org_id", Uuid, nullable=True),
)

participant_steps = Table(
    "participant_steps",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("step", Integer, primary_key=True, autoincrement=False),
    Column("cohort_id", Uuid, nullable=True),
    Column("started_at", UTCDateTime, nullable=True),
    Column("completed_at", UTCDateTime, nullable=True),
)

erased_beneficiaries = Table(
    "erased_beneficiaries",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("erased_at", UTCDateTime, nullable=False),
)

# --- this service's own data ---------------------------------------------------------------
courses = Table(
    "courses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("step", Integer, nullable=False),
    Column("track", String(20), nullable=False),
    Column("cohort_id", Uuid, nullable=True),
    Column("beneficiary_id", Uuid, nullable=True),
    Column("provider_org_id", Uuid, nullable=False, index=True),
    Column("planned_hours", hours(), nullable=False),
    Column("support_french_hours", hours(), nullable=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by_org_id", Uuid, nullable=False),
)
Index("uq_courses_cohort_step", courses.c.cohort_id, courses.c.step, unique=True)
Index("uq_courses_beneficiary_step", courses.c.beneficiary_id, courses.c.step, unique=True)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("starts_at", Time, nullable=False),
    Column("ends_at", Time, nullable=False),
    Column("hours", hours(), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("trainer", String(100), nullable=True),
    Column("place", String(120), nullable=True),
)
Index("uq_sessions_course_slot", sessions.c.course_id, sessions.c.held_on, sessions.c.starts_at, unique=True)

attendance = Table(
    "attendance",
    metadata,
    Column("session_id", Uuid, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("course_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("hours_attended", hours(), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(160), nullable=False),
    Column("recorded_by_org_id", Uuid, nullable=False),
)
Index("ix_attendance_course_beneficiary", attendance.c.course_id, attendance.c.beneficiary_id)
Index("ix_attendance_beneficiary", attendance.c.beneficiary_id)

attendance_corrections = Table(
    "attendance_corrections",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("session_id", Uuid, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("previous_status", String(20), nullable=False),
    Column("previous_hours", hours(), nullable=False),
    Column("previous_recorded_by", String(160), nullable=False),
    Column("status", String(20), nullable=False),
    Column("hours_attended", hours(), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("changed_by", String(160), nullable=False),
    Column("changed_by_org_id", Uuid, nullable=False),
)

participations = Table(
    "participations",
    metadata,
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True, index=True),
    Column("status", String(20), nullable=False),
    Column("closed_at", UTCDateTime, nullable=False),
    Column("hours_waived", Boolean, nullable=False),
    Column("waiver_reason", String(500), nullable=True),
    Column("closed_by", String(160), nullable=True),
)

# One row per CSV import: who imported it (only that organisation reads its report) and its rejections, a
# gzip-compressed CSV stored in parts of at most 1 MiB (read back one part at a time).
attendance_imports = Table(
    "attendance_imports",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("org_id", Uuid, nullable=False),
    Column("imported_by", String(160), nullable=False),
    Column("imported_at", UTCDateTime, nullable=False),
    Column("committed", Boolean, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
)

attendance_import_rejections = Table(
    "attendance_import_rejections",
    metadata,
    Column("import_id", Uuid, ForeignKey("attendance_imports.id", ondelete="CASCADE"), primary_key=True),
    Column("part", Integer, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)

absence_alerts = Table(
    "absence_alerts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("rule", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("consecutive_unexcused", Integer, nullable=True),
    Column("attendance_rate", Numeric(5, 4), nullable=True),
    Column("raised_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("resolved_by", String(160), nullable=True),
)
Index("ix_absence_alerts_course_beneficiary", absence_alerts.c.course_id, absence_alerts.c.beneficiary_id)

language_assessments = Table(
    "language_assessments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="SET NULL"), nullable=True),
    Column("skill", String(20), nullable=False),
    Column("level", String(10), nullable=False),
    Column("test", String(20), nullable=False),
    Column("assessed_on", Date, nullable=False),
    Column("assessing_org_id", Uuid, nullable=False),
    Column("evidence_reference", String(120), nullable=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by_org_id", Uuid, nullable=False),
)

qualifications = Table(
    "qualifications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="SET NULL"), nullable=True),
    Column("certification_name", String(200), nullable=False),
    Column("rncp_code", String(20), nullable=False),
    Column("result", String(30), nullable=False),
    Column("awarded_on", Date, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by_org_id", Uuid, nullable=False),
)
