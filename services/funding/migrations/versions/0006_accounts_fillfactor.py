"""Accounts keep room on their pages for their next balance (PostgreSQL's fillfactor 50): every sheet moves the
balances of its people's accounts, and an update that fits on the row's page is a heap-only tuple (HOT), which
adds no index entry. Full pages made each update a new index entry: after 200 sheets a line's 1,002 accounts had
42,089 entries in the agreement's index and filled 659 pages, which the money views and the sheets' row locks
then read through.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Pages written from now on keep the room; SQLite has no such setting.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE accounts SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE accounts RESET (fillfactor)")
