"""Turning an event contract into the outbox row that the relay will publish."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hope_contracts import EventContract
from hopekit.logs import traceparent_var


def outbox_row(contract: EventContract, occurred_at: datetime | None = None) -> dict[str, Any]:
    if contract.service() == "":
        raise ValueError("contract has no service")
    return {
        "event_id": uuid.uuid4(),
        "topic": contract.topic(),
        "key": contract.partition_key(),
        "type": contract.event_type,
        "subject": contract.subject(),
        "occurred_at": occurred_at or datetime.now(UTC),
        "payload": contract.model_dump_json().encode(),
        "attempts": 0,
        # The request (or the event) being served: the trace goes on with the event it causes.
        "traceparent": traceparent_var.get(),
        # "sequence" is given at commit, inside the transaction (hopekit.events.ordering.assign_sequences).
    }
