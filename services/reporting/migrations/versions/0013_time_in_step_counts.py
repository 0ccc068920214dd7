"""time_in_step's counts (``adapters/tables_durations.py``): per cohort, per region and month, to date per quarter,
and each month's ranks; an index on the steps' end for the days counted from the facts. Every cohort of every
version is noted due: the next answer or the scheduled summing counts them (a version of more than a few hundred
cohorts in one pass over its facts).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["region", "category", "days"]


def _counted(dated_by: str) -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(dated_by, sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "fact_duration_cohorts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        *_counted("month")[1:],
    )
    op.create_index("ix_fact_duration_cohorts_cohort", "fact_duration_cohorts", ["version", "cohort_id"])
    op.create_table("fact_duration_months", *_counted("month"))
    op.create_index("ux_fact_duration_months", "fact_duration_months", ["version", "month", *KEY], unique=True)
    op.create_table("fact_duration_to_date", *_counted("quarter"))
    op.create_index(
        "ux_fact_duration_to_date",
        "fact_duration_to_date",
        ["version", "quarter", *KEY],
        unique=True,
        postgresql_include=["people"],
    )
    op.create_table(
        "fact_duration_month_ranks",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("median_days", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("p90_days", sa.Numeric(precision=8, scale=2), nullable=False),
    )
    op.create_index(
        "ux_fact_duration_month_ranks", "fact_duration_month_ranks", ["version", "month", "category"], unique=True
    )
    op.create_index("ix_fact_person_steps_completed", "fact_person_steps", ["version", "completed_at"])
    # Summed by the next answer or the scheduled summing, as any cohort whose facts moved.
    op.execute(
        "INSERT INTO summary_due (version, cohort_id) SELECT DISTINCT version, cohort_id FROM fact_people"
        " UNION SELECT version, cohort_id FROM fact_cohorts"
    )


def downgrade() -> None:
    op.drop_index("ix_fact_person_steps_completed", table_name="fact_person_steps")
    for name in ("fact_duration_month_ranks", "fact_duration_to_date", "fact_duration_months", "fact_duration_cohorts"):
        op.drop_table(name)
