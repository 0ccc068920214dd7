"""The support schema: support files, needs, actions, referrals, notes (medical ones sealed), person keys,
housing, the projection of enrolment's events, and the kit's tables (outbox, inbox, audit, idempotency).

Medical text never has a plain column: `needs.code_sealed`, `actions.details_sealed`, `note_versions.body_sealed`
and `medical_reads.reason_text_sealed` hold AES-GCM ciphertexts under the person's data key (`person_keys`).
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Uuid,
    text,
)

from hopekit.cohorts import add_cohort_table
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime
from hopekit.partners import add_partner_table

metadata = make_metadata()
kit = add_kit_tables(metadata)
# The partner organisations, as the gateway's events describe them (hopekit.partners).
partners = add_partner_table(metadata)

# --- projection of enrolment ---------------------------------------------------------------
# Which organisation supports each cohort (hopekit.cohorts).
cohorts = add_cohort_table(metadata)

people = Table(
    "people",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("cohort_id", Uuid, nullable=True),
    Column("current_step", Integer, nullable=True),
    Column("step_started_at", UTCDateTime, nullable=True),
    # The day the person left the path (withdrawal or completion): no meal is owed from that day on.
    Column("left_on", Date, nullable=True),
    # A tombstone: nothing is recreated for an erased person.
    Column("erased_at", UTCDateTime, nullable=True),
)

# --- support files ------------------------------------------------------------------------
support_files = Table(
    "support_files",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("support_org_id", Uuid, nullable=False, index=True),
    Column("cohort_id", Uuid, nullable=True),
    Column("status", String(16), nullable=False),
    Column("referent", String(64), nullable=True),
    Column("end_reason", String(24), nullable=True),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    # The end of the person's current step entered by the referent: used only where the cohort's calendar (from
    # enrolment's events) says nothing about that step's end.
    Column("step_ends_on", Date, nullable=True),
    CheckConstraint("status IN ('active', 'on_hold', 'closed')", name="status"),
    # One open file per person and organisation: a duplicate step-started cannot open a second one.
    Index(
        "uq_support_files_open",
        "beneficiary_id",
        "support_org_id",
        unique=True,
        postgresql_where=text("status <> 'closed'"),
        sqlite_where=text("status <> 'closed'"),
    ),
)

support_file_changes = Table(
    "support_file_changes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("file_id", Uuid, nullable=False, index=True),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("end_reason", String(24), nullable=True),
    Column("referent", String(64), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("actor_org_id", Uuid, nullable=False),
)

# --- needs and actions ----------------------------------------------------------------------
needs = Table(
    "needs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("file_id", Uuid, nullable=False, index=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("medical", Boolean, nullable=False),
    Column("code", String(64), nullable=True),
    Column("code_sealed", LargeBinary, nullable=True),
    Column("priority", String(16), nullable=False),
    Column("due_on", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("identified_at", UTCDateTime, nullable=False),
    CheckConstraint("status IN ('identified', 'in_progress', 'resolved', 'abandoned')", name="status"),
    # A medical need's code exists only sealed; any other need's only in plain.
    CheckConstraint(
        "(medical AND code IS NULL AND code_sealed IS NOT NULL) OR "
        "(NOT medical AND code IS NOT NULL AND code_sealed IS NULL)",
        name="medical_code_sealed",
    ),
    Index("ix_needs_status_due_on", "status", "due_on"),
)

need_changes = Table(
    "need_changes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("need_id", Uuid, nullable=False, index=True),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("actor_org_id", Uuid, nullable=False),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("need_id", Uuid, nullable=False, index=True),
    # For an action on a medical need, type and partner are sealed in details_sealed.
    Column("type", String(24), nullable=True),
    Column("partner", String(24), nullable=True),
    Column("details_sealed", LargeBinary, nullable=True),
    Column("on", Date, nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("follow_up_on", Date, nullable=True, index=True),
    Column("recorded_by", String(160), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

referrals = Table(
    "referrals",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("file_id", Uuid, nullable=False, index=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("need_id", Uuid, nullable=True),
    Column("partner", String(24), nullable=False),
    Column("shares_information", Boolean, nullable=False),
    Column("consent_recorded_on", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    Column("sent_by", String(160), nullable=False),
    CheckConstraint("status IN ('sent', 'accepted', 'refused', 'done')", name="status"),
)

# --- notes ------------------------------------------------------------------------------------
notes = Table(
    "notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("file_id", Uuid, nullable=False),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("level", String(16), nullable=False),
    Column("author_org_id", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("level IN ('standard', 'restricted', 'medical')", name="level"),
    Index("ix_notes_file_id_created_at", "file_id", "created_at"),
)

# Append-only: the repository inserts and selects; erasure deletes a person's notes whole.
note_versions = Table(
    "note_versions",
    metadata,
    Column("note_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("medical", Boolean, nullable=False),
    Column("body", Text, nullable=True),
    Column("body_sealed", LargeBinary, nullable=True),
    Column("written_at", UTCDateTime, nullable=False),
    Column("written_by", String(160), nullable=False),
    Column("written_by_org_id", Uuid, nullable=False),
    CheckConstraint(
        "(medical AND body IS NULL AND body_sealed IS NOT NULL) OR "
        "(NOT medical AND body IS NOT NULL AND body_sealed IS NULL)",
        name="medical_body_sealed",
    ),
)

person_keys = Table(
    "person_keys",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("kek_id", String(64), nullable=False, index=True),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("rewrapped_at", UTCDateTime, nullable=True),
)

# Each medical read, with its reason; the kit's audit table has a row for it too, written in the same transaction.
# Kept after erasure: the sealed text becomes unreadable with the key, the code, who and when remain.
medical_reads = Table(
    "medical_reads",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("note_id", Uuid, nullable=False, index=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("reader", String(160), nullable=False),
    Column("reader_org_id", Uuid, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("reason_code", String(32), nullable=False),
    Column("reason_text_sealed", LargeBinary, nullable=True),
)

erasures = Table(
    "erasures",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("erased_at", UTCDateTime, nullable=False),
    Column("notes_deleted", Integer, nullable=False),
    Column("needs_kept", Integer, nullable=False),
    Column("placements_kept", Integer, nullable=False),
    Column("key_destroyed", Boolean, nullable=False),
)

# --- housing ----------------------------------------------------------------------------------
residences = Table(
    "residences",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_org_id", Uuid, nullable=False, index=True),
    Column("label", String(200), nullable=False),
    Column("commune_code", String(64), nullable=False),
    Column("department_code", String(64), nullable=False),
)

residence_open_periods = Table(
    "residence_open_periods",
    metadata,
    Column("residence_id", Uuid, primary_key=True),
    Column("starts_on", Date, primary_key=True),
    Column("ends_on", Date, nullable=False),
    CheckConstraint("ends_on > starts_on", name="period"),
)

beds = Table(
    "beds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("residence_id", Uuid, nullable=False, index=True),
    Column("room", String(64), nullable=False),
    # Bumped first thing in an assignment on SQLite: it takes the write lock before anything is read.
    Column("lock_version", Integer, nullable=False, server_default="0"),
)

# On PostgreSQL migration 0002 adds exclusion constraints over daterange(starts_on, ends_on): see there.
placements = Table(
    "placements",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False),
    Column("residence_id", Uuid, nullable=False),
    Column("bed_id", Uuid, nullable=False, index=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("assigned_by_org_id", Uuid, nullable=False),
    CheckConstraint("ends_on >= starts_on", name="nights"),
    CheckConstraint("status IN ('planned', 'active', 'ended')", name="status"),
    Index("ix_placements_beneficiary_id_ends_on", "beneficiary_id", "ends_on"),
)

# --- projection of training ---------------------------------------------------------------------
absence_alerts = Table(
    "absence_alerts",
    metadata,
    Column("alert_id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("course_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("rule", String(64), nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
)

# One row per person, session: the latest sheet of a session wins. Catering counts the days present.
attendance = Table(
    "attendance",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("held_on", Date, nullable=False),
    Column("present", Boolean, nullable=False),
    Index("ix_attendance_beneficiary_id_held_on", "beneficiary_id", "held_on"),
)

# --- catering -------------------------------------------------------------------------------------
# A re-import from the same source replaces that day's count rather than adding to it.
meals_served = Table(
    "meals_served",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("served_on", Date, primary_key=True),
    Column("meal", String(16), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("recorded_by_org_id", Uuid, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    CheckConstraint("count >= 0", name="count"),
    CheckConstraint("meal IN ('breakfast', 'lunch', 'dinner')", name="meal"),
)
