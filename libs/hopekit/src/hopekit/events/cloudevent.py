"""CloudEvents 1.0 in Kafka binary mode (DESIGN.md §5), through the CloudEvents SDK.

Two extension attributes: ``sequence`` (the CloudEvents sequence extension: the event's place among its key's
events, a decimal integer compared as a number) and ``traceparent`` (the distributed-tracing extension: the W3C
trace context of the request that caused the event).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from cloudevents.core.bindings.kafka import KafkaMessage, from_binary, to_binary
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

CONTENT_TYPE = "application/json"
_FORMAT = JSONFormat()


class MalformedEvent(ValueError):
    """A Kafka record that is not a well-formed binary-mode CloudEvent with a JSON object payload."""


@dataclass(frozen=True)
class ReceivedEvent:
    id: str
    source: str
    type: str
    subject: str | None
    time: datetime | None
    key: str | None
    data: dict[str, Any]
    topic: str
    partition: int
    offset: int
    sequence: int | None = None
    traceparent: str | None = None


def encode(
    *,
    event_id: UUID,
    source: str,
    type_: str,
    subject: str,
    time: datetime,
    key: str,
    payload: bytes,
    sequence: int | None = None,
    traceparent: str | None = None,
) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers of the Kafka record carrying one event; the payload is already JSON."""
    attributes: dict[str, Any] = {
        "id": str(event_id),
        "source": source,
        "type": type_,
        "subject": subject,
        "time": time,
        "datacontenttype": CONTENT_TYPE,
    }
    if sequence is not None:
        attributes["sequence"] = str(sequence)
    if traceparent is not None:
        attributes["traceparent"] = traceparent
    event = CloudEvent(attributes=attributes, data=payload)
    message = to_binary(event, _FORMAT, key_mapper=lambda _event: key)
    assert isinstance(message.key, str)
    return message.key.encode(), message.value, list(message.headers.items())


def decode(
    *, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None, headers: Any
) -> ReceivedEvent:
    try:
        message = KafkaMessage(headers=dict(headers or ()), key=key, value=value or b"")
        event = from_binary(message, _FORMAT, CloudEvent)
    except (BaseCloudEventException, UnicodeDecodeError, ValueError) as error:
        raise MalformedEvent(f"not a binary-mode CloudEvent: {error}") from error
    data = event.get_data()
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise MalformedEvent("payload is not JSON") from error
    if not isinstance(data, dict):
        raise MalformedEvent("payload is not a JSON object")
    sequence = event.get_extension("sequence")
    try:
        parsed_sequence = int(sequence) if sequence is not None else None
    except (TypeError, ValueError) as error:
        raise MalformedEvent("sequence is not an integer") from error
    traceparent = event.get_extension("traceparent")
    return ReceivedEvent(
        id=str(event.get_id()),
        source=str(event.get_source()),
        type=str(event.get_type()),
        subject=event.get_subject(),
        time=event.get_time(),
        key=key.decode("utf-8", "replace") if key is not None else None,
        data=data,
        topic=topic,
        partition=partition,
        offset=offset,
        sequence=parsed_sequence,
        traceparent=str(traceparent) if traceparent is not None else None,
    )
