"""The read models: fact tables per person, step, month, session, course, cohort, agreement and claim, their
versions and completeness marks (adapters/tables*.py say what each column means). Version 1 starts active.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fact_absence_alerts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("consecutive_unexcused", sa.Integer(), nullable=True),
        sa.Column("attendance_rate", sa.Numeric(precision=6, scale=4), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "alert_id", name=op.f("pk_fact_absence_alerts")),
    )
    op.create_index(
        "ix_fact_absence_alerts_version_person", "fact_absence_alerts", ["version", "beneficiary_id"], unique=False
    )
    op.create_table(
        "fact_agreements",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("funder_kind", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("total_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("version", "agreement_id", name=op.f("pk_fact_agreements")),
    )
    op.create_table(
        "fact_attendance_lines",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("session_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_attended", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("version", "session_id", "beneficiary_id", name=op.f("pk_fact_attendance_lines")),
    )
    op.create_table(
        "fact_attendance_months",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hours_recorded", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_attended", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_excused", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_unexcused", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("sessions_recorded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "step", "month", name=op.f("pk_fact_attendance_months")),
    )
    op.create_table(
        "fact_claims",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("people_count", sa.Integer(), nullable=True),
        sa.Column("claimed_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("rejection_reason", sa.String(length=40), nullable=True),
        sa.Column("paid_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("version", "claim_id", name=op.f("pk_fact_claims")),
    )
    op.create_index("ix_fact_claims_version_agreement", "fact_claims", ["version", "agreement_id"], unique=False)
    op.create_table(
        "fact_cohorts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=True),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("track", sa.String(length=16), nullable=True),
        sa.Column("training_provider_org_id", sa.Uuid(), nullable=True),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("step3_starts_on", sa.Date(), nullable=True),
        sa.Column("step3_ends_on", sa.Date(), nullable=True),
        sa.Column("step4_starts_on", sa.Date(), nullable=True),
        sa.Column("step4_ends_on", sa.Date(), nullable=True),
        sa.Column("calendar_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("version", "cohort_id", name=op.f("pk_fact_cohorts")),
    )
    op.create_table(
        "fact_course_completions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("planned_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("attended_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_waived", sa.Boolean(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "course_id", "beneficiary_id", name=op.f("pk_fact_course_completions")),
    )
    op.create_table(
        "fact_courses",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("planned_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "course_id", name=op.f("pk_fact_courses")),
    )
    op.create_index("ix_fact_courses_version_cohort", "fact_courses", ["version", "cohort_id"], unique=False)
    op.create_table(
        "fact_erasures",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", name=op.f("pk_fact_erasures")),
    )
    op.create_table(
        "fact_follow_ups",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("months_after_exit", sa.Integer(), nullable=False),
        sa.Column("follow_up_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=True),
        sa.Column("outcome_code", sa.String(length=32), nullable=True),
        sa.Column("counts_as_employed", sa.Boolean(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "months_after_exit", name=op.f("pk_fact_follow_ups")),
    )
    op.create_table(
        "fact_housing",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("version", "placement_id", name=op.f("pk_fact_housing")),
    )
    op.create_index("ix_fact_housing_version_person", "fact_housing", ["version", "beneficiary_id"], unique=False)
    op.create_table(
        "fact_language_assessments",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("skill", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("test", sa.String(length=16), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("version", "assessment_id", name=op.f("pk_fact_language_assessments")),
    )
    op.create_index(
        "ix_fact_language_assessments_version_person",
        "fact_language_assessments",
        ["version", "beneficiary_id"],
        unique=False,
    )
    op.create_table(
        "fact_money",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("committed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("released", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("consumed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("claimed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("approved", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "agreement_id", name=op.f("pk_fact_money")),
    )
    op.create_index("ix_fact_money_version_agreement", "fact_money", ["version", "agreement_id"], unique=False)
    op.create_table(
        "fact_money_movements",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("budget_line_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "version", "movement_id", "beneficiary_id", "budget_line_id", "kind", name=op.f("pk_fact_money_movements")
        ),
    )
    op.create_table(
        "fact_needs",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("version", "need_id", name=op.f("pk_fact_needs")),
    )
    op.create_index("ix_fact_needs_version_person", "fact_needs", ["version", "beneficiary_id"], unique=False)
    op.create_table(
        "fact_people",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("track", sa.String(length=16), nullable=True),
        sa.Column("protection_status", sa.String(length=32), nullable=True),
        sa.Column("registering_org_id", sa.Uuid(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("a1_attested_on", sa.Date(), nullable=True),
        sa.Column("a1_test", sa.String(length=16), nullable=True),
        sa.Column("ofii_hours", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("cohort_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("sector_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hold_reason", sa.String(length=32), nullable=True),
        sa.Column("withdrawal_reason", sa.String(length=32), nullable=True),
        sa.Column("withdrawn_from_status", sa.String(length=32), nullable=True),
        sa.Column("withdrawn_last_step", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language_level", sa.String(length=8), nullable=True),
        sa.Column("language_level_on", sa.Date(), nullable=True),
        sa.Column("language_level_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("qualification_result", sa.String(length=32), nullable=True),
        sa.Column("qualification_rncp_code", sa.String(length=16), nullable=True),
        sa.Column("qualification_awarded_on", sa.Date(), nullable=True),
        sa.Column("qualification_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("support_org_id", sa.Uuid(), nullable=True),
        sa.Column("support_file_id", sa.Uuid(), nullable=True),
        sa.Column("support_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exit_outcome", sa.String(length=32), nullable=True),
        sa.Column("exit_on", sa.Date(), nullable=True),
        sa.Column("exit_counts_as_employed", sa.Boolean(), nullable=True),
        sa.Column("exit_evidence", sa.String(length=40), nullable=True),
        sa.Column("exit_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", name=op.f("pk_fact_people")),
    )
    op.create_index("ix_fact_people_version_cohort", "fact_people", ["version", "cohort_id"], unique=False)
    op.create_table(
        "fact_person_steps",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hours_recorded", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_attended", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_excused", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("hours_unexcused", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("sessions_recorded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "step", name=op.f("pk_fact_person_steps")),
    )
    op.create_table(
        "fact_planned_sessions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("session_kind", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("version", "session_id", name=op.f("pk_fact_planned_sessions")),
    )
    op.create_table(
        "fact_sessions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("session_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("session_kind", sa.String(length=16), nullable=False),
        sa.Column("sheet_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "session_id", name=op.f("pk_fact_sessions")),
    )
    op.create_table(
        "fact_support_files",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("support_org_id", sa.Uuid(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("version", "file_id", name=op.f("pk_fact_support_files")),
    )
    op.create_index(
        "ix_fact_support_files_version_person", "fact_support_files", ["version", "beneficiary_id"], unique=False
    )
    op.create_table(
        "read_model_positions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("complete_up_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("version", "topic", "partition", name=op.f("pk_read_model_positions")),
    )
    op.create_table(
        "read_model_versions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_read_model_versions")),
    )
    versions = sa.table(
        "read_model_versions",
        sa.column("version", sa.Integer()),
        sa.column("state", sa.String()),
        sa.column("started_at", sa.DateTime(timezone=True)),
        sa.column("activated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(versions, [{"version": 1, "state": "active", "started_at": now, "activated_at": now}])


def downgrade() -> None:
    op.drop_table("read_model_versions")
    op.drop_table("read_model_positions")
    op.drop_index("ix_fact_support_files_version_person", table_name="fact_support_files")
    op.drop_table("fact_support_files")
    op.drop_table("fact_sessions")
    op.drop_table("fact_planned_sessions")
    op.drop_table("fact_person_steps")
    op.drop_index("ix_fact_people_version_cohort", table_name="fact_people")
    op.drop_table("fact_people")
    op.drop_index("ix_fact_needs_version_person", table_name="fact_needs")
    op.drop_table("fact_needs")
    op.drop_table("fact_money_movements")
    op.drop_index("ix_fact_money_version_agreement", table_name="fact_money")
    op.drop_table("fact_money")
    op.drop_index("ix_fact_language_assessments_version_person", table_name="fact_language_assessments")
    op.drop_table("fact_language_assessments")
    op.drop_index("ix_fact_housing_version_person", table_name="fact_housing")
    op.drop_table("fact_housing")
    op.drop_table("fact_follow_ups")
    op.drop_table("fact_erasures")
    op.drop_index("ix_fact_courses_version_cohort", table_name="fact_courses")
    op.drop_table("fact_courses")
    op.drop_table("fact_course_completions")
    op.drop_table("fact_cohorts")
    op.drop_index("ix_fact_claims_version_agreement", table_name="fact_claims")
    op.drop_table("fact_claims")
    op.drop_table("fact_attendance_months")
    op.drop_table("fact_attendance_lines")
    op.drop_table("fact_agreements")
    op.drop_index("ix_fact_absence_alerts_version_person", table_name="fact_absence_alerts")
    op.drop_table("fact_absence_alerts")
