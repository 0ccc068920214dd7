"""Which organisation a funder is: what scopes a funder's client to its own agreements.

Filled from ``agreement.signed``'s ``funder_organisation_id`` (funding's ``funders.org_id``), when the funder has
an organisation on the platform; the latest agreement naming one wins (``linked_at`` = its event time). A funder
without one has no row here, and a client of no linked funder sees nothing (403).
"""

from sqlalchemy import Column, Index, Table, Uuid

from hopekit.db.types import UTCDateTime
from reporting_service.adapters.metadata import metadata

funder_organisations = Table(
    "funder_organisations",
    metadata,
    Column("funder_id", Uuid, primary_key=True),
    Column("org_id", Uuid, nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
    Index("ix_funder_organisations_org_id", "org_id"),
)
