"""Which organisation a funder is: what scopes a funder's client to its own agreements.

Funding keeps the link (``funders.org_id``) but publishes no event carrying it yet: ``agreement.signed`` names
the funder by ``funder_id`` only. Until funding publishes it (a ``funder.registered`` event, or ``funder_org_id``
on ``agreement.signed``) and a consumer writes it here, this table is empty and a funder's client sees nothing.
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
