"""The summaries added up per region (``adapters/tables_summaries.py``: ``fact_region_cells``,
``fact_region_attendance``) and the region each cohort's rows were added under (``fact_summed_cohorts``), added up
for every version already there by the statements the summing runs (``adapters/regions.added``). PostgreSQL only
fills them: on SQLite the answers add the cohorts' rows up themselves. time_in_step's months index carries the
people.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reporting_service.adapters.regions import added
from reporting_service.adapters.tables_summaries import fact_region_attendance, fact_region_cells

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = ("committed", "consumed", "claimed", "paid")
HOURS = sa.Numeric(precision=14, scale=2)


def upgrade() -> None:
    op.create_table(
        "fact_summed_cohorts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=True),
        sa.PrimaryKeyConstraint("version", "cohort_id"),
    )
    op.create_table(
        "fact_region_cells",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=True),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Numeric(precision=14, scale=2), nullable=False) for name in MONEY),
        postgresql_with={"fillfactor": 50},
    )
    op.create_index(
        "ux_fact_region_cells",
        "fact_region_cells",
        ["version", "indicator", "month", "region", "category"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_table(
        "fact_region_attendance",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=True),
        sa.Column("previous_month", sa.Date(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("hours_recorded", HOURS, nullable=False),
        sa.Column("hours_attended", HOURS, nullable=False),
        postgresql_with={"fillfactor": 50},
    )
    op.create_index(
        "ux_fact_region_attendance",
        "fact_region_attendance",
        ["version", "month", "region", "previous_month"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    # time_in_step's months read from their index alone (``adapters/tables_durations.py``).
    _months_index(["people"])
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for (version,) in connection.execute(sa.text("SELECT version FROM read_model_versions")).all():
        # Its own tables: later migrations add and fill theirs.
        for statement in added(int(version), regional_tables=(fact_region_cells, fact_region_attendance)):
            connection.execute(statement)


def downgrade() -> None:
    _months_index([])
    for name in ("fact_region_attendance", "fact_region_cells", "fact_summed_cohorts"):
        op.drop_table(name)


def _months_index(carried: list[str]) -> None:
    op.drop_index("ux_fact_duration_months", table_name="fact_duration_months")
    op.create_index(
        "ux_fact_duration_months",
        "fact_duration_months",
        ["version", "month", "region", "category", "days"],
        unique=True,
        postgresql_include=carried,
    )
