"""When each language assessment was recorded: two ``overall`` assessments on one day (OFII's A1 at step 1 and the
end-of-step-3 test, in a path played in one day) are told apart by the later record, as the person's level is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("fact_language_assessments", sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("fact_language_assessments", "recorded_at")
