"""HOPE reporting schema: the kit's tables (outbox, inbox, audit, idempotency).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

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


def downgrade() -> None:
    downgrade_kit_tables_v2()
    drop_kit_tables_v1()
