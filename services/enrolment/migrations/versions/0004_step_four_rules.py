"""Step 4's rules: step 3's hours as training reported them, and the operator's waiver reason in the history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

It follows 0003 (partner organisations), written at the same time on another branch: one line of history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("beneficiaries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("french_hours_done_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("french_course_id", sa.Uuid(), nullable=True))
    with op.batch_alter_table("pathway_transitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiver_reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pathway_transitions", schema=None) as batch_op:
        batch_op.drop_column("waiver_reason")
    with op.batch_alter_table("beneficiaries", schema=None) as batch_op:
        batch_op.drop_column("french_course_id")
        batch_op.drop_column("french_hours_done_at")
