"""Support's costs: placements, months of meals and support files as their latest event says, and why their
units are not paid when they are not (their amounts are kept in ``consumption_posted`` like hours).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOURS = sa.Numeric(precision=8, scale=2)


def upgrade() -> None:
    op.create_table(
        "support_costs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cost_type", sa.String(length=40), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("quantity", HOURS, nullable=False),
        sa.Column("unfunded", sa.String(length=16), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_costs")),
    )
    with op.batch_alter_table("support_costs", schema=None) as batch_op:
        batch_op.create_index("ix_support_costs_beneficiary", ["beneficiary_id"], unique=False)
        batch_op.create_index("ix_support_costs_unfunded", ["unfunded"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("support_costs", schema=None) as batch_op:
        batch_op.drop_index("ix_support_costs_unfunded")
        batch_op.drop_index("ix_support_costs_beneficiary")
    op.drop_table("support_costs")
