"""The indicators' summaries per cohort and month (``fact_indicator_cells``, ``fact_attendance_cells``: see
``adapters/tables_summaries.py``), summed for every version already there by the statements the ingest runs
(``adapters/summaries.py``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reporting_service.adapters.summaries import statements

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=2)
HOURS = sa.Numeric(precision=12, scale=2)
# What the answers read of the summaries, carried by their indexes on PostgreSQL (index-only scans).
READ = ["cohort_id", "sector_code", "track", "category", "people", "committed", "consumed", "claimed", "paid"]
ATTENDANCE_READ = ["cohort_id", "sector_code", "track", "previous_month", "people", "hours_recorded", "hours_attended"]


def _cohort_and_person() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("track", sa.String(length=16), nullable=True),
    ]


def upgrade() -> None:
    for name, dated_by in (("fact_indicator_days", "day"), ("fact_indicator_cells", "month")):
        op.create_table(
            name,
            sa.Column("indicator", sa.String(length=40), nullable=False),
            *_cohort_and_person(),
            sa.Column(dated_by, sa.Date(), nullable=False),
            sa.Column("category", sa.String(length=40), nullable=False),
            sa.Column("people", sa.Integer(), nullable=False),
            *(sa.Column(money, MONEY, nullable=False) for money in READ[-4:]),
        )
        op.create_index(f"ix_{name}_read", name, ["version", "indicator", dated_by], postgresql_include=READ)
        op.create_index(f"ix_{name}_cohort", name, ["version", "cohort_id"])
    op.create_table(
        "fact_attendance_cells",
        *_cohort_and_person(),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("previous_month", sa.Date(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("hours_recorded", HOURS, nullable=False),
        sa.Column("hours_attended", HOURS, nullable=False),
    )
    op.create_index(
        "ix_fact_attendance_cells_read",
        "fact_attendance_cells",
        ["version", "month"],
        postgresql_include=ATTENDANCE_READ,
    )
    op.create_index("ix_fact_attendance_cells_cohort", "fact_attendance_cells", ["version", "cohort_id"])
    op.create_table(
        "summary_due",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
    )
    op.create_index("ix_summary_due_version", "summary_due", ["version"])
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    for (version,) in connection.execute(sa.text("SELECT version FROM read_model_versions")).all():
        for statement in statements(postgres, int(version)):
            connection.execute(statement)


def downgrade() -> None:
    for name in ("summary_due", "fact_attendance_cells", "fact_indicator_cells", "fact_indicator_days"):
        op.drop_table(name)
