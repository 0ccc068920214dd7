"""The events enrolment consumes: the gateway's partner organisations, kept in its own projection."""

from __future__ import annotations

from enrolment_service.adapters.tables import partners
from hopekit.partners import partner_consumer

CONSUMERS = [partner_consumer(partners)]
