"""Which organisation each funder is (scopes a funder's client to its own agreements).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "funder_organisations",
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("funder_id", name=op.f("pk_funder_organisations")),
    )
    op.create_index("ix_funder_organisations_org_id", "funder_organisations", ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_funder_organisations_org_id", table_name="funder_organisations")
    op.drop_table("funder_organisations")
