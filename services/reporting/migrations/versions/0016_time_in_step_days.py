"""time_in_step's counts per day (``adapters/tables_durations.py``): ``fact_duration_days``, and the cohorts' counts
kept per day instead of per month, so that the days of a period's last month are read from the counts, not from
the facts. The counts are derived: emptied here, and every cohort of every version noted due, so that the next
answer or the scheduled summing counts them again (as 0013 did).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["region", "category", "days"]
DERIVED = ("fact_duration_months", "fact_duration_to_date", "fact_duration_month_ranks")


def _counted(dated_by: str) -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(dated_by, sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
    ]


def _cohorts_dated_by(dated_by: str) -> None:
    op.drop_index("ix_fact_duration_cohorts_cohort", table_name="fact_duration_cohorts")
    op.drop_table("fact_duration_cohorts")
    op.create_table(
        "fact_duration_cohorts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        *_counted(dated_by)[1:],
    )
    op.create_index("ix_fact_duration_cohorts_cohort", "fact_duration_cohorts", ["version", "cohort_id"])
    for name in DERIVED:
        op.execute(sa.table(name).delete())
    op.execute(
        "INSERT INTO summary_due (version, cohort_id) SELECT DISTINCT version, cohort_id FROM fact_people"
        " UNION SELECT version, cohort_id FROM fact_cohorts"
        " EXCEPT SELECT version, cohort_id FROM summary_due"
    )


def upgrade() -> None:
    _cohorts_dated_by("day")
    op.create_table("fact_duration_days", *_counted("day"))
    op.create_index(
        "ux_fact_duration_days",
        "fact_duration_days",
        ["version", "day", *KEY],
        unique=True,
        postgresql_include=["people"],
    )


def downgrade() -> None:
    op.drop_index("ux_fact_duration_days", table_name="fact_duration_days")
    op.drop_table("fact_duration_days")
    _cohorts_dated_by("month")
