"""The reporting schema: its own tables and the kit's (outbox, inbox, audit, idempotency)."""

from sqlalchemy import Column, String, Table, Uuid

from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime

metadata = make_metadata()
kit = add_kit_tables(metadata)

examples = Table(
    "examples",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by_org_id", Uuid, nullable=False),
)
