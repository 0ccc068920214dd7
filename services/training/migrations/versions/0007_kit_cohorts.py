"""The cohorts table as the kit keeps it for every service (``hopekit.cohorts``): the sector column widens to 64
characters and the track column is 16 wide ("group" and "individual" are the only tracks, so no value is cut).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch: SQLite rebuilds the table (it cannot alter a column's type in place); PostgreSQL alters it.
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("track", type_=sa.String(length=16), existing_type=sa.String(length=20))
        batch_op.alter_column("sector_code", type_=sa.String(length=64), existing_type=sa.String(length=40))


def downgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("sector_code", type_=sa.String(length=40), existing_type=sa.String(length=64))
        batch_op.alter_column("track", type_=sa.String(length=20), existing_type=sa.String(length=16))
