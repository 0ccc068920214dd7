"""work_study_contracts' rows added up per region (``adapters/tables_summaries.py``: ``fact_region_contracts``),
filled for every version already there under the regions ``fact_summed_cohorts`` notes, by the statement the
summing runs (``adapters/regions.added_up``). PostgreSQL only fills it: on SQLite the answers add the cohorts'
contract days up themselves.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reporting_service.adapters.regions import added_up
from reporting_service.adapters.tables_summaries import fact_region_contracts

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fact_region_contracts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("previous_month", sa.Date(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("contracts", sa.Integer(), nullable=False),
        postgresql_with={"fillfactor": 50},
    )
    op.create_index(
        "ux_fact_region_contracts",
        "fact_region_contracts",
        ["version", "month", "region", "category", "previous_month"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for (version,) in connection.execute(sa.text("SELECT version FROM read_model_versions")).all():
        connection.execute(added_up(fact_region_contracts, int(version)))


def downgrade() -> None:
    op.drop_table("fact_region_contracts")
