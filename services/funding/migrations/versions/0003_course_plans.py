"""Training's scheduled courses, and the hours each step commitment stands for (until now the step's default).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOURS = sa.Numeric(precision=8, scale=2)


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("planned_hours", HOURS, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(cohort_id IS NULL) <> (beneficiary_id IS NULL)", name=op.f("ck_courses_cohort_or_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index("ix_courses_cohort_step", ["cohort_id", "step"], unique=False)
        batch_op.create_index("ix_courses_beneficiary_step", ["beneficiary_id", "step"], unique=False)
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_hours", HOURS, nullable=True))
        batch_op.add_column(sa.Column("scheduled_hours", HOURS, nullable=True))
    # What every commitment made before this revision stood for: the step's default hours.
    op.execute(
        "UPDATE commitments SET planned_hours = CASE step WHEN 3 THEN 400 WHEN 4 THEN 450 ELSE 0 END, "
        "scheduled_hours = CASE step WHEN 3 THEN 400 WHEN 4 THEN 450 ELSE 0 END"
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("planned_hours", existing_type=HOURS, nullable=False)
        batch_op.alter_column("scheduled_hours", existing_type=HOURS, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_column("scheduled_hours")
        batch_op.drop_column("planned_hours")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index("ix_courses_beneficiary_step")
        batch_op.drop_index("ix_courses_cohort_step")
    op.drop_table("courses")
