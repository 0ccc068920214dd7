"""People's facts: one pseudonymous row per person, their steps, attendance, language, training, support and
employment. Each table's docstring says what its columns mean and which event sets them (see ``tables`` for
the rules that make them independent of order and duplicates)."""

from sqlalchemy import Boolean, Column, Date, Index, Integer, Numeric, String, Table, Uuid

from hopekit.db.types import UTCDateTime, hours
from reporting_service.adapters.metadata import metadata
from reporting_service.domain.indicators.facts import ON_THE_PATH


def _key(name: str) -> Column[object]:
    return Column(name, Uuid, primary_key=True)


def _version() -> Column[int]:
    return Column("version", Integer, primary_key=True)


def person_column(table: str) -> tuple[Column[object], Index]:
    """A person's column on a table keyed by something else, and the index a person's rows are found by."""
    return Column("beneficiary_id", Uuid, nullable=False), Index(
        f"ix_{table}_version_person", "version", "beneficiary_id"
    )


def _attendance_totals() -> list[Column[object]]:
    """A person's attendance totals, moved by the differences of the sheets (see ``fact_person_steps``)."""
    counted: list[Column[object]] = [
        Column(name, hours(), nullable=False, default=0)
        for name in ("hours_recorded", "hours_attended", "hours_excused", "hours_unexcused")
    ]
    return [*counted, Column("sessions_recorded", Integer, nullable=False, default=0)]


fact_people = Table(
    "fact_people",
    metadata,
    _version(),
    _key("beneficiary_id"),
    Column("track", String(16)),
    Column("protection_status", String(32)),
    Column("registering_org_id", Uuid),
    Column("registered_at", UTCDateTime),
    Column("a1_attested_on", Date),
    Column("a1_test", String(16)),
    Column("ofii_hours", hours()),
    Column("cohort_id", Uuid),
    Column("cohort_at", UTCDateTime),
    Column("sector_code", String(40)),
    Column("sector_at", UTCDateTime),
    Column("status", String(32)),
    Column("status_at", UTCDateTime),
    Column("hold_reason", String(32)),
    Column("withdrawal_reason", String(32)),
    Column("withdrawn_from_status", String(32)),
    Column("withdrawn_last_step", Integer),
    Column("withdrawn_at", UTCDateTime),
    Column("completed_at", UTCDateTime),
    Column("language_level", String(8)),
    Column("language_level_on", Date),
    Column("language_level_at", UTCDateTime),
    Column("qualification_result", String(32)),
    Column("qualification_rncp_code", String(16)),
    Column("qualification_awarded_on", Date),
    Column("qualification_at", UTCDateTime),
    Column("support_org_id", Uuid),
    Column("support_file_id", Uuid),
    Column("support_at", UTCDateTime),
    Column("exit_outcome", String(32)),
    Column("exit_on", Date),
    Column("exit_counts_as_employed", Boolean),
    Column("exit_evidence", String(40)),
    Column("exit_at", UTCDateTime),
    Index("ix_fact_people_version_cohort", "version", "cohort_id"),
)
"""One row per person (``beneficiary_id``: enrolment's pseudonym, never any identity).

- track, protection_status, registering_org_id (the immigration office), registered_at: ``beneficiary.registered``.
- a1_attested_on, a1_test, ofii_hours (step 1's hours): ``beneficiary.prerequisites_validated``.
- cohort_id, cohort_at: the latest of ``pathway.step_started`` (when it names a cohort) and ``cohort.member_added``.
- sector_code, sector_at: the latest of ``pathway.sector_chosen`` and ``pathway.step_started`` naming a sector.
- status, status_at: the pathway status set by the latest of ``beneficiary.registered`` (registered),
  ``pathway.step_started`` (step 1 prerequisites, 2 pre_orientation, 3 french_qualification, 4
  trade_qualification), ``pathway.put_on_hold`` (on_hold, hold_reason), ``pathway.resumed`` (its to_status),
  ``beneficiary.withdrawn`` (withdrawn) and ``beneficiary.completed`` (completed).
- withdrawal_reason (published codes: a health reason arrives as ``personal``), withdrawn_from_status,
  withdrawn_last_step, withdrawn_at: ``beneficiary.withdrawn``. completed_at: ``beneficiary.completed``.
- language_level, language_level_on: the CEFR level of the latest ``assessment.language_level_attested`` for
  skill ``overall`` (by assessed_on, then event time). Every assessment is in ``fact_language_assessments``.
- qualification_*: the latest ``qualification.awarded`` (result awarded | partially_awarded | failed).
- support_org_id, support_file_id, support_at: the support file opened last (``support_file.opened``): the
  support provider whose people the dropout-risk list shows (open or closed: ``fact_support_files`` says).
- exit_*: ``outcome.recorded`` (outcome code, exit date, employer's ``counts_as_employed``, evidence source).
"""

# The people on the path, by when they registered (people_without_housing, people_per_step): a few thousands of
# the 100,000 at national scale, read from the index alone (130 pages, not the table's 2,036). The queries say
# ``status IN ON_THE_PATH`` as the predicate does, so PostgreSQL proves the index applies.
Index(
    "ix_fact_people_on_the_path",
    fact_people.c.version,
    fact_people.c.registered_at,
    postgresql_include=["beneficiary_id", "cohort_id"],
    postgresql_where=fact_people.c.status.in_(ON_THE_PATH),
)

fact_person_steps = Table(
    "fact_person_steps",
    metadata,
    _version(),
    _key("beneficiary_id"),
    Column("step", Integer, primary_key=True),
    Column("started_at", UTCDateTime),
    Column("completed_at", UTCDateTime),
    *_attendance_totals(),
    Column("level_attested", String(8)),
    # The steps ended in a few days (time_in_step's days counted from the facts: ``queries_durations``).
    Index("ix_fact_person_steps_completed", "version", "completed_at"),
)
"""One row per person and step (1 to 4). started_at: the earliest ``pathway.step_started`` of that step;
completed_at: the latest ``pathway.step_completed``. level_attested (step 3 only): the French level at the end of
the step, the latest ``overall`` assessment of ``fact_language_assessments`` on or before completed_at's day,
computed again whenever either moves (``adapters/levels.py``). The hours are totals over the person's lines in
``fact_attendance_lines`` of that step (``session.attendance_recorded``): hours_recorded = the sessions' hours,
hours_attended = hours present, hours_excused / hours_unexcused = the sessions' hours where the person was
absent excused / unexcused; sessions_recorded = lines. Attendance rate = hours_attended / hours_recorded."""

fact_attendance_months = Table(
    "fact_attendance_months",
    metadata,
    _version(),
    _key("beneficiary_id"),
    Column("step", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    *_attendance_totals(),
)
"""The same totals as ``fact_person_steps`` per calendar month of the sessions (``month`` = its first day):
attendance by month, and falling attendance (a month against the ones before)."""

fact_attendance_person_months = Table(
    "fact_attendance_person_months",
    metadata,
    _version(),
    _key("beneficiary_id"),
    Column("month", Date, primary_key=True),
    *_attendance_totals(),
)
"""``fact_attendance_months`` added up over the steps: one row per person and month, moved by the same
differences. Attendance by month counts its rows, where counting people over the steps' rows took a DISTINCT
sorted per month (1.5 million rows at national scale: 2.6 s, against 0.9 s counted here)."""

fact_sessions = Table(
    "fact_sessions",
    metadata,
    _version(),
    _key("session_id"),
    Column("course_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid),
    Column("held_on", Date, nullable=False),
    Column("session_hours", hours(), nullable=False),
    Column("session_kind", String(16), nullable=False),
    Column("sheet_at", UTCDateTime, nullable=False),
)
"""The latest attendance sheet applied per session (``session.attendance_recorded``, sent whole each time):
sheet_at is its event time. An older or identical sheet is not applied again."""

fact_attendance_lines = Table(
    "fact_attendance_lines",
    metadata,
    _version(),
    _key("session_id"),
    _key("beneficiary_id"),
    Column("step", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("session_hours", hours(), nullable=False),
    Column("hours_attended", hours(), nullable=False),
)
"""One line per (session, person) of the latest sheet: status present | excused | unexcused, hours attended.
A new sheet replaces the lines; each person's totals move by the difference (a line removed takes its hours
back), so duplicates and re-sends count once."""

fact_courses = Table(
    "fact_courses",
    metadata,
    _version(),
    _key("course_id"),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid),
    Column("beneficiary_id", Uuid),
    Column("provider_org_id", Uuid, nullable=False),
    Column("planned_hours", hours(), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("scheduled_at", UTCDateTime, nullable=False),
    Index("ix_fact_courses_version_cohort", "version", "cohort_id"),
)
"""A course as last scheduled (``course.scheduled``, sent whole): a cohort's (cohort_id) or one person's
(beneficiary_id, individual track), its training provider and planned hours: a person's planned hours for a
step are those of the courses of their cohort (or their own) for that step."""

fact_planned_sessions = Table(
    "fact_planned_sessions",
    metadata,
    _version(),
    _key("session_id"),
    Column("course_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid),
    Column("beneficiary_id", Uuid),
    Column("held_on", Date, nullable=False),
    Column("hours", hours(), nullable=False),
    Column("session_kind", String(16), nullable=False),
)
"""Sessions as planned (``course.sessions_scheduled``): planned hours by day and month."""

fact_course_completions = Table(
    "fact_course_completions",
    metadata,
    _version(),
    _key("course_id"),
    _key("beneficiary_id"),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid),
    Column("planned_hours", hours(), nullable=False),
    Column("attended_hours", hours(), nullable=False),
    Column("hours_waived", Boolean, nullable=False),
    Column("completed_at", UTCDateTime, nullable=False),
)
"""A person finished a course (``course.completed``): its planned and attended hours, whether training waived
the hours; the latest event wins."""

fact_language_assessments = Table(
    "fact_language_assessments",
    metadata,
    _version(),
    _key("assessment_id"),
    *person_column("fact_language_assessments"),
    Column("skill", String(16), nullable=False),
    Column("level", String(8), nullable=False),
    Column("test", String(16), nullable=False),
    Column("assessed_on", Date, nullable=False),
    # When it was recorded (the event's occurred_at): of two on one day, the later one is the level.
    Column("recorded_at", UTCDateTime),
)
"""Every CEFR assessment (``assessment.language_level_attested``): the level at the end of step 3 is the latest
``overall`` assessment on or before ``fact_person_steps.completed_at`` of step 3 (by date, then by record)."""

fact_absence_alerts = Table(
    "fact_absence_alerts",
    metadata,
    _version(),
    _key("alert_id"),
    *person_column("fact_absence_alerts"),
    Column("course_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("rule", String(32), nullable=False),
    Column("consecutive_unexcused", Integer),
    Column("attendance_rate", Numeric(6, 4)),
    Column("raised_at", UTCDateTime, nullable=False),
)
"""Absence alerts (``absence_alert.raised``). No event closes an alert: a reader decides how long one stays
open (e.g. raised in the last 14 days and no present line since)."""

fact_support_files = Table(
    "fact_support_files",
    metadata,
    _version(),
    _key("file_id"),
    *person_column("fact_support_files"),
    Column("support_org_id", Uuid, nullable=False),
    Column("cohort_id", Uuid),
    Column("opened_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("end_reason", String(32)),
)
"""Support files: opened_at (and cohort_id) from ``support_file.opened``, closed_at and end_reason
(path_completed | withdrawn | transferred | lost_contact | other) from ``support_file.closed``. Open = opened and
not closed."""

fact_needs = Table(
    "fact_needs",
    metadata,
    _version(),
    _key("need_id"),
    *person_column("fact_needs"),
    Column("category", String(32), nullable=False),
    Column("opened_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    Column("outcome", String(16)),
)
"""Support needs, never medical ones (the bus carries none): category administrative | social | professional
| civic | housing | catering; opened_at from ``need.opened``, resolved_at and outcome (resolved | abandoned)
from ``need.resolved``. Open = resolved_at IS NULL."""

fact_housing = Table(
    "fact_housing",
    metadata,
    _version(),
    _key("placement_id"),
    *person_column("fact_housing"),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("released_on", Date),
    # Who is housed on a night: the placements ending after it (today's and the future ones), read from the
    # index alone, not the years of placements before them. Not led by the version: the housed test is hashed
    # per person and version, which leaves the night as the only condition known in advance.
    Index(
        "ix_fact_housing_ends", "ends_on", postgresql_include=["version", "beneficiary_id", "starts_on", "released_on"]
    ),
)
"""Housing placements: the nights [starts_on, ends_on) from ``housing.assigned``, released_on from
``housing.released`` (the placement ends then). Housed on a night = a placement covering it, not released
before it."""

fact_follow_ups = Table(
    "fact_follow_ups",
    metadata,
    _version(),
    _key("beneficiary_id"),
    Column("months_after_exit", Integer, primary_key=True),
    Column("follow_up_id", Uuid, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("observed_on", Date),
    Column("outcome_code", String(32)),
    Column("counts_as_employed", Boolean),
    Column("recorded_at", UTCDateTime, nullable=False),
)
"""Follow-ups at 3, 6 and 12 months after exit (``follow_up.recorded``, the latest per person and month):
status done (outcome_code, counts_as_employed, observed_on) or unreachable (its own share, never dropped)."""

fact_erasures = Table(
    "fact_erasures",
    metadata,
    _version(),
    _key("beneficiary_id"),
    Column("erased_at", UTCDateTime, nullable=False),
)
"""People erased (``beneficiary.erased``): their rows were moved to a random pseudonym (the counts stay, the
link to the person is gone) and later events about them are not applied."""
