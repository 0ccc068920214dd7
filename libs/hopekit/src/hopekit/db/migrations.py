"""Alembic helpers: the kit tables' first migration, an async env.py runner, and programmatic upgrades."""

from __future__ import annotations

import asyncio
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.kit_tables import Position
from hopekit.db.types import UTCDateTime

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION hope_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql
"""


def create_kit_tables_v1() -> None:
    """The outbox, inbox, idempotency and audit tables as first shipped; later changes get their own revision."""
    op.create_table(
        "outbox",
        sa.Column("position", Position, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("topic", sa.String(120), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("type", sa.String(160), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("published_at", UTCDateTime, nullable=True),
        sa.Column("attempts", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("position", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["position"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(160), nullable=False),
        sa.Column("processed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("consumer", "source", "event_id", name="pk_inbox"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("client", sa.String(160), nullable=False),
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.SmallInteger, nullable=True),
        sa.Column("response", sa.JSON, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("client", "key", name="pk_idempotency_keys"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(160), nullable=False),
        sa.Column("actor_org_id", sa.Uuid, nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("object_type", sa.String(60), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION hope_audit_append_only()"
        )


def drop_kit_tables_v1() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS hope_audit_append_only()")
    op.drop_index("ix_audit_log_object", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("idempotency_keys")
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")


def run_env(metadata: MetaData) -> None:
    """Body of every service's migrations/env.py: online, async, batch mode so SQLite can alter tables."""
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database url: use hopekit.db.migrations.upgrade(root, url) or `alembic -x url=...`")

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(migrate)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def _config(service_root: Path, url: str) -> Config:
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(service_root: Path, url: str, revision: str = "head") -> None:
    """Blocking; from async code call it through ``asyncio.to_thread`` (env.py runs its own event loop)."""
    command.upgrade(_config(service_root, url), revision)


def downgrade(service_root: Path, url: str, revision: str = "base") -> None:
    command.downgrade(_config(service_root, url), revision)
