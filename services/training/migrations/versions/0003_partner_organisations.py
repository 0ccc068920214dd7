"""Partner organisations: the projection of the gateway's organisation events (hopekit.partners).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from hopekit.db.partner_migrations import create_partner_table, drop_partner_table

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_partner_table()


def downgrade() -> None:
    drop_partner_table()
