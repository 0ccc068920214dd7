"""The kit tables' second revision: per-key sequence numbers and trace context in the outbox, and the consumers'
per-aggregate high-water marks. Every service with an outbox calls these from its own migration."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def upgrade_kit_tables_v2() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sequence", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("traceparent", sa.String(55), nullable=True))
    op.create_table(
        "outbox_sequences",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_outbox_sequences"),
    )
    op.create_table(
        "consumer_streams",
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "source", "key", name="pk_consumer_streams"),
    )


def downgrade_kit_tables_v2() -> None:
    op.drop_table("consumer_streams")
    op.drop_table("outbox_sequences")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("traceparent")
        batch.drop_column("sequence")
