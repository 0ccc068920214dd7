"""Support schema: files, needs, actions, referrals, notes and sealed medical data, person keys, housing, the
enrolment projection; the template's example table goes. On PostgreSQL the bed-night rule is an exclusion
constraint over date ranges (btree_gist), so two placements can never share a bed (or a person) on one night.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 14:22:29.693672
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=True),
        sa.Column("partner", sa.String(length=24), nullable=True),
        sa.Column("details_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=160), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    op.create_index(op.f("ix_actions_follow_up_on"), "actions", ["follow_up_on"], unique=False)
    op.create_index(op.f("ix_actions_need_id"), "actions", ["need_id"], unique=False)
    op.create_table(
        "beds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("residence_id", sa.Uuid(), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("lock_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beds")),
    )
    op.create_index(op.f("ix_beds_residence_id"), "beds", ["residence_id"], unique=False)
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
    )
    op.create_table(
        "erasures",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes_deleted", sa.Integer(), nullable=False),
        sa.Column("needs_kept", sa.Integer(), nullable=False),
        sa.Column("placements_kept", sa.Integer(), nullable=False),
        sa.Column("key_destroyed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_erasures")),
    )
    op.create_table(
        "medical_reads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("reader", sa.String(length=160), nullable=False),
        sa.Column("reader_org_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("reason_text_sealed", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_reads")),
    )
    op.create_index(op.f("ix_medical_reads_beneficiary_id"), "medical_reads", ["beneficiary_id"], unique=False)
    op.create_index(op.f("ix_medical_reads_note_id"), "medical_reads", ["note_id"], unique=False)
    op.create_table(
        "need_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("actor_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_changes")),
    )
    op.create_index(op.f("ix_need_changes_need_id"), "need_changes", ["need_id"], unique=False)
    op.create_table(
        "needs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("medical", sa.Boolean(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("code_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("identified_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('identified', 'in_progress', 'resolved', 'abandoned')", name=op.f("ck_needs_status")
        ),
        sa.CheckConstraint(
            "(medical AND code IS NULL AND code_sealed IS NOT NULL) OR (NOT medical AND code IS NOT NULL AND code_sealed IS NULL)",
            name=op.f("ck_needs_medical_code_sealed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs")),
    )
    op.create_index(op.f("ix_needs_beneficiary_id"), "needs", ["beneficiary_id"], unique=False)
    op.create_index(op.f("ix_needs_file_id"), "needs", ["file_id"], unique=False)
    op.create_index("ix_needs_status_due_on", "needs", ["status", "due_on"], unique=False)
    op.create_table(
        "note_versions",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("medical", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("written_by", sa.String(length=160), nullable=False),
        sa.Column("written_by_org_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(medical AND body IS NULL AND body_sealed IS NOT NULL) OR (NOT medical AND body IS NOT NULL AND body_sealed IS NULL)",
            name=op.f("ck_note_versions_medical_body_sealed"),
        ),
        sa.PrimaryKeyConstraint("note_id", "number", name=op.f("pk_note_versions")),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("author_org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('standard', 'restricted', 'medical')", name=op.f("ck_notes_level")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index(op.f("ix_notes_beneficiary_id"), "notes", ["beneficiary_id"], unique=False)
    op.create_index("ix_notes_file_id_created_at", "notes", ["file_id", "created_at"], unique=False)
    op.create_table(
        "people",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("current_step", sa.Integer(), nullable=True),
        sa.Column("step_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_people")),
    )
    op.create_table(
        "person_keys",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("kek_id", sa.String(length=64), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rewrapped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_person_keys")),
    )
    op.create_index(op.f("ix_person_keys_kek_id"), "person_keys", ["kek_id"], unique=False)
    op.create_table(
        "placements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("residence_id", sa.Uuid(), nullable=False),
        sa.Column("bed_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by_org_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("status IN ('planned', 'active', 'ended')", name=op.f("ck_placements_status")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_placements_nights")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    op.create_index(op.f("ix_placements_bed_id"), "placements", ["bed_id"], unique=False)
    op.create_index("ix_placements_beneficiary_id_ends_on", "placements", ["beneficiary_id", "ends_on"], unique=False)
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=True),
        sa.Column("partner", sa.String(length=24), nullable=False),
        sa.Column("shares_information", sa.Boolean(), nullable=False),
        sa.Column("consent_recorded_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=160), nullable=False),
        sa.CheckConstraint("status IN ('sent', 'accepted', 'refused', 'done')", name=op.f("ck_referrals_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index(op.f("ix_referrals_beneficiary_id"), "referrals", ["beneficiary_id"], unique=False)
    op.create_index(op.f("ix_referrals_file_id"), "referrals", ["file_id"], unique=False)
    op.create_table(
        "residence_open_periods",
        sa.Column("residence_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_residence_open_periods_period")),
        sa.PrimaryKeyConstraint("residence_id", "starts_on", name=op.f("pk_residence_open_periods")),
    )
    op.create_table(
        "residences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_org_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("commune_code", sa.String(length=64), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residences")),
    )
    op.create_index(op.f("ix_residences_owner_org_id"), "residences", ["owner_org_id"], unique=False)
    op.create_table(
        "support_file_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("end_reason", sa.String(length=24), nullable=True),
        sa.Column("referent", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("actor_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_file_changes")),
    )
    op.create_index(op.f("ix_support_file_changes_file_id"), "support_file_changes", ["file_id"], unique=False)
    op.create_table(
        "support_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("support_org_id", sa.Uuid(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("referent", sa.String(length=64), nullable=True),
        sa.Column("end_reason", sa.String(length=24), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("step_ends_on", sa.Date(), nullable=True),
        sa.CheckConstraint("status IN ('active', 'on_hold', 'closed')", name=op.f("ck_support_files_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_files")),
    )
    op.create_index(op.f("ix_support_files_beneficiary_id"), "support_files", ["beneficiary_id"], unique=False)
    op.create_index(op.f("ix_support_files_support_org_id"), "support_files", ["support_org_id"], unique=False)
    op.create_index(
        "uq_support_files_open",
        "support_files",
        ["beneficiary_id", "support_org_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'closed'"),
        sqlite_where=sa.text("status <> 'closed'"),
    )
    op.create_table(
        "absence_alerts",
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_absence_alerts")),
    )
    op.create_index(op.f("ix_absence_alerts_beneficiary_id"), "absence_alerts", ["beneficiary_id"], unique=False)
    op.create_table(
        "attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "beneficiary_id", name=op.f("pk_attendance")),
    )
    op.create_index("ix_attendance_beneficiary_id_held_on", "attendance", ["beneficiary_id", "held_on"], unique=False)
    op.create_table(
        "meals_served",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("recorded_by_org_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_meals_served_count")),
        sa.CheckConstraint("meal IN ('breakfast', 'lunch', 'dinner')", name=op.f("ck_meals_served_meal")),
        sa.PrimaryKeyConstraint("beneficiary_id", "served_on", "meal", "source", name=op.f("pk_meals_served")),
    )
    op.drop_table("examples")
    if op.get_bind().dialect.name == "postgresql":
        _bed_night_rule()


def _bed_night_rule() -> None:
    """The bed-night rule as a database fact: no two placements share a bed, or a person, on the same night.

    Nights are [starts_on, ends_on): a stay ending the morning another starts shares no night, and an empty range
    (a placement released before its first night) overlaps nothing, exactly like the domain's `Nights.overlaps`.
    btree_gist lets the uuid equality sit in the same GiST index as the range overlap.
    """
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in (("ex_placements_bed_night", "bed_id"), ("ex_placements_person_night", "beneficiary_id")):
        op.execute(
            f"ALTER TABLE placements ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, daterange(starts_on, ends_on, '[)') WITH &&)"
        )


def downgrade() -> None:
    op.create_table(
        "examples",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_examples")),
        sa.UniqueConstraint("code", name=op.f("uq_examples_code")),
    )
    op.drop_table("meals_served")
    op.drop_table("attendance")
    op.drop_table("absence_alerts")
    op.drop_index(
        "uq_support_files_open",
        table_name="support_files",
        postgresql_where=sa.text("status <> 'closed'"),
        sqlite_where=sa.text("status <> 'closed'"),
    )
    op.drop_index(op.f("ix_support_files_support_org_id"), table_name="support_files")
    op.drop_index(op.f("ix_support_files_beneficiary_id"), table_name="support_files")
    op.drop_table("support_files")
    op.drop_index(op.f("ix_support_file_changes_file_id"), table_name="support_file_changes")
    op.drop_table("support_file_changes")
    op.drop_index(op.f("ix_residences_owner_org_id"), table_name="residences")
    op.drop_table("residences")
    op.drop_table("residence_open_periods")
    op.drop_index(op.f("ix_referrals_file_id"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_beneficiary_id"), table_name="referrals")
    op.drop_table("referrals")
    op.drop_index("ix_placements_beneficiary_id_ends_on", table_name="placements")
    op.drop_index(op.f("ix_placements_bed_id"), table_name="placements")
    op.drop_table("placements")
    op.drop_index(op.f("ix_person_keys_kek_id"), table_name="person_keys")
    op.drop_table("person_keys")
    op.drop_table("people")
    op.drop_index("ix_notes_file_id_created_at", table_name="notes")
    op.drop_index(op.f("ix_notes_beneficiary_id"), table_name="notes")
    op.drop_table("notes")
    op.drop_table("note_versions")
    op.drop_index("ix_needs_status_due_on", table_name="needs")
    op.drop_index(op.f("ix_needs_file_id"), table_name="needs")
    op.drop_index(op.f("ix_needs_beneficiary_id"), table_name="needs")
    op.drop_table("needs")
    op.drop_index(op.f("ix_need_changes_need_id"), table_name="need_changes")
    op.drop_table("need_changes")
    op.drop_index(op.f("ix_medical_reads_note_id"), table_name="medical_reads")
    op.drop_index(op.f("ix_medical_reads_beneficiary_id"), table_name="medical_reads")
    op.drop_table("medical_reads")
    op.drop_table("erasures")
    op.drop_table("cohorts")
    op.drop_index(op.f("ix_beds_residence_id"), table_name="beds")
    op.drop_table("beds")
    op.drop_index(op.f("ix_actions_need_id"), table_name="actions")
    op.drop_index(op.f("ix_actions_follow_up_on"), table_name="actions")
    op.drop_table("actions")
