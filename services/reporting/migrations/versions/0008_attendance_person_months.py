"""``fact_attendance_person_months``: each person's attendance per month over the steps (attendance by month
counts its rows instead of people distinct among the steps' rows), filled from ``fact_attendance_months`` for
every version already there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOURS = ("hours_recorded", "hours_attended", "hours_excused", "hours_unexcused")


def upgrade() -> None:
    op.create_table(
        "fact_attendance_person_months",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Numeric(8, 2), nullable=False) for name in HOURS),
        sa.Column("sessions_recorded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "month", name=op.f("pk_fact_attendance_person_months")),
    )
    op.execute(
        """
        INSERT INTO fact_attendance_person_months (
            version, beneficiary_id, month,
            hours_recorded, hours_attended, hours_excused, hours_unexcused, sessions_recorded
        )
        SELECT version, beneficiary_id, month,
            sum(hours_recorded), sum(hours_attended), sum(hours_excused), sum(hours_unexcused), sum(sessions_recorded)
        FROM fact_attendance_months
        GROUP BY version, beneficiary_id, month
        """
    )


def downgrade() -> None:
    op.drop_table("fact_attendance_person_months")
