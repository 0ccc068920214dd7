"""Training schema: the projection of enrolment, courses, sessions, attendance, alerts, assessments,
qualifications, and the kit's tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hopekit.db.migrations import create_kit_tables_v1, drop_kit_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables_v1()
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("cohort_id", "beneficiary_id", name=op.f("pk_cohort_members")),
    )
    op.create_index(op.f("ix_cohort_members_beneficiary_id"), "cohort_members", ["beneficiary_id"], unique=False)
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.Column("training_provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
    )
    op.create_index(op.f("ix_cohorts_training_provider_org_id"), "cohorts", ["training_provider_org_id"], unique=False)
    op.create_table(
        "courses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("planned_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("support_french_hours", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    op.create_index(op.f("ix_courses_provider_org_id"), "courses", ["provider_org_id"], unique=False)
    op.create_index("uq_courses_beneficiary_step", "courses", ["beneficiary_id", "step"], unique=True)
    op.create_index("uq_courses_cohort_step", "courses", ["cohort_id", "step"], unique=True)
    op.create_table(
        "erased_beneficiaries",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_erased_beneficiaries")),
    )
    op.create_table(
        "participant_steps",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("beneficiary_id", "step", name=op.f("pk_participant_steps")),
    )
    op.create_table(
        "participants",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_participants")),
    )
    op.create_table(
        "absence_alerts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consecutive_unexcused", sa.Integer(), nullable=True),
        sa.Column("attendance_rate", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=160), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_absence_alerts_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_alerts")),
    )
    op.create_index(op.f("ix_absence_alerts_beneficiary_id"), "absence_alerts", ["beneficiary_id"], unique=False)
    op.create_index(
        "ix_absence_alerts_course_beneficiary", "absence_alerts", ["course_id", "beneficiary_id"], unique=False
    )
    op.create_table(
        "language_assessments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=True),
        sa.Column("skill", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("test", sa.String(length=20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessing_org_id", sa.Uuid(), nullable=False),
        sa.Column("evidence_reference", sa.String(length=120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_language_assessments_course_id_courses"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language_assessments")),
    )
    op.create_index(
        op.f("ix_language_assessments_beneficiary_id"), "language_assessments", ["beneficiary_id"], unique=False
    )
    op.create_table(
        "participations",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hours_waived", sa.Boolean(), nullable=False),
        sa.Column("waiver_reason", sa.String(length=500), nullable=True),
        sa.Column("closed_by", sa.String(length=160), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_participations_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("course_id", "beneficiary_id", name=op.f("pk_participations")),
    )
    op.create_index(op.f("ix_participations_beneficiary_id"), "participations", ["beneficiary_id"], unique=False)
    op.create_table(
        "qualifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=True),
        sa.Column("certification_name", sa.String(length=200), nullable=False),
        sa.Column("rncp_code", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=30), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_qualifications_course_id_courses"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
    )
    op.create_index(op.f("ix_qualifications_beneficiary_id"), "qualifications", ["beneficiary_id"], unique=False)
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("trainer", sa.String(length=100), nullable=True),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_sessions_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("uq_sessions_course_slot", "sessions", ["course_id", "held_on", "starts_at"], unique=True)
    op.create_table(
        "attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hours_attended", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=160), nullable=False),
        sa.Column("recorded_by_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_attendance_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", "beneficiary_id", name=op.f("pk_attendance")),
    )
    op.create_index("ix_attendance_beneficiary", "attendance", ["beneficiary_id"], unique=False)
    op.create_index("ix_attendance_course_beneficiary", "attendance", ["course_id", "beneficiary_id"], unique=False)
    op.create_table(
        "attendance_corrections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("previous_status", sa.String(length=20), nullable=False),
        sa.Column("previous_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("previous_recorded_by", sa.String(length=160), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hours_attended", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=160), nullable=False),
        sa.Column("changed_by_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_attendance_corrections_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_corrections")),
    )
    op.create_index(
        op.f("ix_attendance_corrections_beneficiary_id"), "attendance_corrections", ["beneficiary_id"], unique=False
    )
    op.create_index(
        op.f("ix_attendance_corrections_session_id"), "attendance_corrections", ["session_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_attendance_corrections_session_id"), table_name="attendance_corrections")
    op.drop_index(op.f("ix_attendance_corrections_beneficiary_id"), table_name="attendance_corrections")
    op.drop_table("attendance_corrections")
    op.drop_index("ix_attendance_course_beneficiary", table_name="attendance")
    op.drop_index("ix_attendance_beneficiary", table_name="attendance")
    op.drop_table("attendance")
    op.drop_index("uq_sessions_course_slot", table_name="sessions")
    op.drop_table("sessions")
    op.drop_index(op.f("ix_qualifications_beneficiary_id"), table_name="qualifications")
    op.drop_table("qualifications")
    op.drop_index(op.f("ix_participations_beneficiary_id"), table_name="participations")
    op.drop_table("participations")
    op.drop_index(op.f("ix_language_assessments_beneficiary_id"), table_name="language_assessments")
    op.drop_table("language_assessments")
    op.drop_index("ix_absence_alerts_course_beneficiary", table_name="absence_alerts")
    op.drop_index(op.f("ix_absence_alerts_beneficiary_id"), table_name="absence_alerts")
    op.drop_table("absence_alerts")
    op.drop_table("participants")
    op.drop_table("participant_steps")
    op.drop_table("erased_beneficiaries")
    op.drop_index("uq_courses_cohort_step", table_name="courses")
    op.drop_index("uq_courses_beneficiary_step", table_name="courses")
    op.drop_index(op.f("ix_courses_provider_org_id"), table_name="courses")
    op.drop_table("courses")
    op.drop_index(op.f("ix_cohorts_training_provider_org_id"), table_name="cohorts")
    op.drop_table("cohorts")
    op.drop_index(op.f("ix_cohort_members_beneficiary_id"), table_name="cohort_members")
    op.drop_table("cohort_members")
    drop_kit_tables_v1()
