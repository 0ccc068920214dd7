"""Cohorts' calendars (enrolment), training's scheduled sessions, meal entitlements published, the day a person
left the path; the partner organisations' projection (hopekit.partners).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hopekit.db.partner_migrations import create_partner_table, drop_partner_table

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_calendars",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohort_calendars")),
    )
    op.create_table(
        "cohort_steps",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.CheckConstraint("step IN (3, 4)", name=op.f("ck_cohort_steps_step")),
        sa.PrimaryKeyConstraint("cohort_id", "step", name=op.f("pk_cohort_steps")),
    )
    op.create_table(
        "scheduled_sessions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "(cohort_id IS NULL) <> (beneficiary_id IS NULL)", name=op.f("ck_scheduled_sessions_cohort_or_person")
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_scheduled_sessions")),
    )
    with op.batch_alter_table("scheduled_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_scheduled_sessions_cohort_id_held_on", ["cohort_id", "held_on"], unique=False)
        batch_op.create_index(
            "ix_scheduled_sessions_beneficiary_id_held_on", ["beneficiary_id", "held_on"], unique=False
        )
    op.create_table(
        "meal_entitlements",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("breakfasts", sa.Integer(), nullable=False),
        sa.Column("lunches", sa.Integer(), nullable=False),
        sa.Column("dinners", sa.Integer(), nullable=False),
        sa.Column("entitled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", "month", name=op.f("pk_meal_entitlements")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
    create_partner_table()


def downgrade() -> None:
    drop_partner_table()
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("left_on")
    op.drop_table("meal_entitlements")
    with op.batch_alter_table("scheduled_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_scheduled_sessions_beneficiary_id_held_on")
        batch_op.drop_index("ix_scheduled_sessions_cohort_id_held_on")
    op.drop_table("scheduled_sessions")
    op.drop_table("cohort_steps")
    op.drop_table("cohort_calendars")
