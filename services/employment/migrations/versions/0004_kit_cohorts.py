"""The cohorts table as the kit keeps it for every service (``hopekit.cohorts``): its key is ``id``, and the sector
and region columns are as wide as in the other services. Nothing is lost: the key is renamed, the two columns
only widen.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch: SQLite rebuilds the table (it cannot alter a column's type in place); PostgreSQL alters it.
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("cohort_id", new_column_name="id", existing_type=sa.Uuid(), existing_nullable=False)
        batch_op.alter_column("sector_code", type_=sa.String(length=64), existing_type=sa.String(length=40))
        batch_op.alter_column("region", type_=sa.String(length=64), existing_type=sa.String(length=8))


def downgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("region", type_=sa.String(length=8), existing_type=sa.String(length=64))
        batch_op.alter_column("sector_code", type_=sa.String(length=40), existing_type=sa.String(length=64))
        batch_op.alter_column("id", new_column_name="cohort_id", existing_type=sa.Uuid(), existing_nullable=False)
