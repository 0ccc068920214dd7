"""The reporting schema: the read models (fact tables built only from events) and the kit's tables.

Every fact table carries ``version``, the read models' version its row belongs to (``read_model_versions``): a
rebuild writes a new version beside the active one and switches when done; a query reads the active version
only (``adapters.completeness.active_version``). No table holds identity data: a person is the pseudonymous
``beneficiary_id`` of the events, and nothing about health exists on the bus to be stored.

How the facts stay the same whatever the order and however often events arrive (at-least-once, across five
topics): a field set by one kind of event is written only when the event is at least as recent as the one that
set it (``*_at``: the event's ``occurred_at``); a date that can only widen takes the earliest start or the
latest end; a total moves only by the difference between the line that replaced it and the line it replaced
(attendance sheets, money movements). A field is NULL until its event arrived.

The tables are split by subject: ``tables_people`` (people, their steps and attendance, language, training,
support, employment), ``tables_work_and_support`` (work-study contracts, immersions, referrals, meals,
consents), ``tables_money`` (agreements, money per person and agreement, claims). This module holds
the versions, the completeness marks and the cohort dimension.
"""

from sqlalchemy import BigInteger, Column, Date, Integer, String, Table, Uuid, text

from hopekit.db.types import UTCDateTime
from reporting_service.adapters.metadata import kit, metadata
from reporting_service.adapters.tables_durations import (
    fact_duration_cohorts,
    fact_duration_days,
    fact_duration_month_ranks,
    fact_duration_months,
    fact_duration_to_date,
)
from reporting_service.adapters.tables_money import (
    fact_agreements,
    fact_claims,
    fact_money,
    fact_money_movements,
)
from reporting_service.adapters.tables_people import (
    fact_absence_alerts,
    fact_attendance_lines,
    fact_attendance_months,
    fact_attendance_person_months,
    fact_course_completions,
    fact_courses,
    fact_erasures,
    fact_follow_ups,
    fact_housing,
    fact_language_assessments,
    fact_needs,
    fact_people,
    fact_person_steps,
    fact_planned_sessions,
    fact_sessions,
    fact_support_files,
)
from reporting_service.adapters.tables_summaries import (
    fact_attendance_cells,
    fact_indicator_cells,
    fact_indicator_days,
    summary_due,
    summary_nights,
)
from reporting_service.adapters.tables_work_and_support import (
    fact_consents,
    fact_contracts,
    fact_immersions,
    fact_meals,
    fact_referrals,
)

read_model_versions = Table(
    "read_model_versions",
    metadata,
    Column("version", Integer, primary_key=True),
    # building: a rebuild is writing it; active: the one every answer reads (exactly one); retired: replaced.
    Column("state", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("activated_at", UTCDateTime),
    # Raised by every transaction that writes the version's facts: answers kept in memory are keyed on it.
    Column("changes", BigInteger, nullable=False, default=0, server_default=text("0")),
)
"""One row per version of the read models. The live consumers write every version that is ``active`` or
``building`` (so a rebuild misses nothing that arrives while it runs); answers read the ``active`` one."""

read_model_positions = Table(
    "read_model_positions",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("topic", String(120), primary_key=True),
    Column("partition", Integer, primary_key=True),
    # The latest event time (CloudEvents ``time``, else the payload's ``occurred_at``) applied from it.
    Column("complete_up_to", UTCDateTime, nullable=False),
    Column("last_offset", BigInteger, nullable=False),
)
"""Per version, topic and partition: up to which event time the read models hold that partition's events (the
high-water mark, only ever raised). A topic is complete up to the oldest of its partitions' marks."""

fact_cohorts = Table(
    "fact_cohorts",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("cohort_id", Uuid, primary_key=True),
    Column("region", String(2)),
    Column("sector_code", String(40)),
    Column("track", String(16)),
    Column("training_provider_org_id", Uuid),
    Column("support_provider_org_id", Uuid),
    Column("capacity", Integer),
    Column("created_at", UTCDateTime),
    Column("step3_starts_on", Date),
    Column("step3_ends_on", Date),
    Column("step4_starts_on", Date),
    Column("step4_ends_on", Date),
    Column("calendar_at", UTCDateTime),
)
"""The cohort dimension, from enrolment's ``cohort.created`` (region: INSEE region code; sector_code; track
``group``|``individual``; training and support providers' organisation ids; capacity; created_at = its
``occurred_at``) and its calendar from ``cohort.created`` and ``cohort.calendar_changed`` (the whole calendar each
time: ``step3_*``/``step4_*`` planned dates, NULL when not planned; ``calendar_at`` = the event that set them).
A row may exist before ``cohort.created`` arrives (a member or a calendar change came first): its dimensions are
NULL until then. People, courses and sheets name their cohort; region, sector, track and providers are read
here."""

__all__ = [
    "fact_absence_alerts",
    "fact_agreements",
    "fact_attendance_cells",
    "fact_attendance_lines",
    "fact_attendance_months",
    "fact_attendance_person_months",
    "fact_claims",
    "fact_cohorts",
    "fact_consents",
    "fact_contracts",
    "fact_course_completions",
    "fact_courses",
    "fact_duration_cohorts",
    "fact_duration_days",
    "fact_duration_month_ranks",
    "fact_duration_months",
    "fact_duration_to_date",
    "fact_erasures",
    "fact_follow_ups",
    "fact_housing",
    "fact_immersions",
    "fact_indicator_cells",
    "fact_indicator_days",
    "fact_language_assessments",
    "fact_meals",
    "fact_money",
    "fact_money_movements",
    "fact_needs",
    "fact_people",
    "fact_person_steps",
    "fact_planned_sessions",
    "fact_referrals",
    "fact_sessions",
    "fact_support_files",
    "kit",
    "metadata",
    "read_model_positions",
    "read_model_versions",
    "summary_due",
    "summary_nights",
]
