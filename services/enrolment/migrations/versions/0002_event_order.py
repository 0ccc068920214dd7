"""Event order: per-key sequence numbers and trace context in the outbox, consumers' per-aggregate high-water marks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from hopekit.db.kit_migrations_v2 import downgrade_kit_tables_v2, upgrade_kit_tables_v2

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    upgrade_kit_tables_v2()


def downgrade() -> None:
    downgrade_kit_tables_v2()
