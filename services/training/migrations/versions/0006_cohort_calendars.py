"""Cohorts' calendars, from enrolment's cohort created and calendar changed events: a cohort's course falls
within the planned period of its step.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_calendars",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohort_calendars")),
    )
    op.create_table(
        "cohort_step_periods",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort_calendars.cohort_id"],
            name=op.f("fk_cohort_step_periods_cohort_id_cohort_calendars"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "step", name=op.f("pk_cohort_step_periods")),
    )


def downgrade() -> None:
    op.drop_table("cohort_step_periods")
    op.drop_table("cohort_calendars")
