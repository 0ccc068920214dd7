"""The partner organisations' projection table (``hopekit.partners``): every service that adopts it calls these
from its own migration."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hopekit.db.types import UTCDateTime
from hopekit.partners import TABLE_NAME


def create_partner_table() -> None:
    op.create_table(
        TABLE_NAME,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_kind", sa.String(40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE_NAME}"),
    )


def drop_partner_table() -> None:
    op.drop_table(TABLE_NAME)
