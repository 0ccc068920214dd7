"""Token denials: tokens refused before their expiry (revoked clients, rotated secrets, deactivated organisations).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "token_denials",
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("issued_until", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("holder", name=op.f("pk_token_denials")),
    )
    op.create_index(op.f("ix_token_denials_expires_at"), "token_denials", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_token_denials_expires_at"), table_name="token_denials")
    op.drop_table("token_denials")
