"""work_study_contracts' summary per cohort and day (``fact_contract_days``) and attendance's per cohort and year
(``fact_attendance_years``: see ``adapters/tables_summaries.py``), summed for every version already there by the statements the ingest runs
(``adapters/summaries.statements_0014``); the indexes people_without_housing reads the people on the path
and who is housed tonight by (``adapters/tables_people.py``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reporting_service.adapters.summaries import statements_0014
from reporting_service.domain.indicators.facts import ON_THE_PATH

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the answers read of the summary, carried by its index on PostgreSQL (index-only scans).
READ = ["cohort_id", "sector_code", "track", "category", "previous_day", "people", "contracts"]
ATTENDANCE_READ = ["cohort_id", "sector_code", "track", "previous_month", "people", "hours_recorded", "hours_attended"]
HOURS = sa.Numeric(precision=12, scale=2)


def _cohort_and_person() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("track", sa.String(length=16), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "fact_contract_days",
        *_cohort_and_person(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("previous_day", sa.Date(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("contracts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_fact_contract_days_read", "fact_contract_days", ["version", "day"], postgresql_include=READ)
    op.create_index("ix_fact_contract_days_cohort", "fact_contract_days", ["version", "cohort_id"])
    op.create_table(
        "fact_attendance_years",
        *_cohort_and_person(),
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("previous_month", sa.Date(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("hours_recorded", HOURS, nullable=False),
        sa.Column("hours_attended", HOURS, nullable=False),
    )
    op.create_index(
        "ix_fact_attendance_years_read",
        "fact_attendance_years",
        ["version", "year"],
        postgresql_include=ATTENDANCE_READ,
    )
    op.create_index("ix_fact_attendance_years_cohort", "fact_attendance_years", ["version", "cohort_id"])
    op.create_index(
        "ix_fact_people_on_the_path",
        "fact_people",
        ["version", "registered_at"],
        postgresql_include=["beneficiary_id", "cohort_id"],
        postgresql_where=sa.column("status").in_(ON_THE_PATH),
    )
    op.create_index(
        "ix_fact_housing_ends",
        "fact_housing",
        ["ends_on"],
        postgresql_include=["version", "beneficiary_id", "starts_on", "released_on"],
    )
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    for (version,) in connection.execute(sa.text("SELECT version FROM read_model_versions")).all():
        for statement in statements_0014(postgres, int(version)):
            connection.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_fact_housing_ends", table_name="fact_housing")
    op.drop_index("ix_fact_people_on_the_path", table_name="fact_people")
    op.drop_table("fact_attendance_years")
    op.drop_table("fact_contract_days")
