"""The tables every service carries beside its own: outbox, inbox, idempotency keys and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
)

from hopekit.db.types import UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Position = BigInteger().with_variant(Integer(), "sqlite")
# An audit row's reason at most (a longer one is fitted: hopekit.audit_reason).
AUDIT_REASON_LENGTH = 200


@dataclass(frozen=True)
class KitTables:
    outbox: Table
    inbox: Table
    idempotency: Table
    audit: Table
    # The last sequence number given to each outbox key, and the last one each consumer applied per key.
    outbox_sequences: Table
    consumer_streams: Table


def add_kit_tables(metadata: MetaData) -> KitTables:
    outbox = Table(
        "outbox",
        metadata,
        # Publication order; the event's own UUID is `event_id`, reused on every resend.
        Column("position", Position, primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("topic", String(120), nullable=False),
        Column("key", String(64), nullable=False),
        Column("type", String(160), nullable=False),
        Column("subject", String(64), nullable=False),
        Column("occurred_at", UTCDateTime, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("published_at", UTCDateTime, nullable=True),
        Column("attempts", SmallInteger, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
        # Per-key order of the key's events (CloudEvents extension `sequence`); null on rows written before v2.
        Column("sequence", BigInteger, nullable=True),
        # The W3C trace context of the request that wrote the row (CloudEvents extension `traceparent`).
        Column("traceparent", String(55), nullable=True),
    )
    Index(
        "ix_outbox_unpublished",
        outbox.c.position,
        postgresql_where=outbox.c.published_at.is_(None),
        sqlite_where=outbox.c.published_at.is_(None),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(120), primary_key=True),
        Column("source", String(120), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("type", String(160), nullable=False),
        Column("processed_at", UTCDateTime, nullable=False),
    )
    idempotency = Table(
        "idempotency_keys",
        metadata,
        Column("client", String(160), primary_key=True),
        Column("key", String(160), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", SmallInteger, nullable=True),
        Column("response", JSON, nullable=True),
        Column("created_at", UTCDateTime, nullable=False),
    )
    audit = Table(
        "audit_log",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("at", UTCDateTime, nullable=False),
        Column("actor", String(160), nullable=False),
        Column("actor_org_id", Uuid, nullable=False),
        Column("action", String(40), nullable=False),
        Column("object_type", String(60), nullable=False),
        Column("object_id", String(64), nullable=False),
        Column("request_id", String(128), nullable=True),
        Column("reason", String(AUDIT_REASON_LENGTH), nullable=True),
    )
    Index("ix_audit_log_object", audit.c.object_type, audit.c.object_id)
    outbox_sequences = Table(
        "outbox_sequences",
        metadata,
        Column("key", String(64), primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )
    consumer_streams = Table(
        "consumer_streams",
        metadata,
        Column("consumer", String(120), primary_key=True),
        Column("source", String(120), primary_key=True),
        Column("key", String(64), primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )
    return KitTables(
        outbox=outbox,
        inbox=inbox,
        idempotency=idempotency,
        audit=audit,
        outbox_sequences=outbox_sequences,
        consumer_streams=consumer_streams,
    )
