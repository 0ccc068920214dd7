"""HOPE reporting schema: examples, and the kit's tables (outbox, inbox, audit, idempotency).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hopekit.db.kit_migrations_v2 import downgrade_kit_tables_v2, upgrade_kit_tables_v2
from hopekit.db.migrations import create_kit_tables_v1, drop_kit_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new service starts at the kit tables' latest revision.
    create_kit_tables_v1()
    upgrade_kit_tables_v2()
    op.create_table(
        "examples",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_examples")),
        sa.UniqueConstraint("code", name=op.f("uq_examples_code")),
    )


def downgrade() -> None:
    op.drop_table("examples")
    downgrade_kit_tables_v2()
    drop_kit_tables_v1()
