"""``read_model_versions.changes``: a count of the transactions that wrote a version's facts, raised in each of
them, which the indicator answers kept in memory are keyed on (``service_layer.kept_answers``).

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
    op.add_column(
        "read_model_versions", sa.Column("changes", sa.BigInteger(), nullable=False, server_default=sa.text("0"))
    )


def downgrade() -> None:
    with op.batch_alter_table("read_model_versions") as table:
        table.drop_column("changes")
