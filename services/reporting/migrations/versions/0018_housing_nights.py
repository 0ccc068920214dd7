"""The night people_without_housing's summary rows were counted for (``adapters/tables_summaries.py``:
``summary_nights``). No version has one yet: the first answer of each counts them (``adapters/summaries.
housing_for_night``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "summary_nights",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )


def downgrade() -> None:
    op.drop_table("summary_nights")
