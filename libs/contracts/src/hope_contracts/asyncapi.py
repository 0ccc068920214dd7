"""AsyncAPI 3.0 documents of the events: one per service (what it sends, what it receives), and their merge into
the platform's catalogue, which the gateway serves at /asyncapi."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hope_contracts.base import CATALOGUE, EventContract

VERSION = "3.0.0"
_DESCRIPTION = (
    "CloudEvents 1.0 in Kafka binary mode; the Kafka key is the beneficiary id when the event is about one "
    "person. Delivery is at least once: deduplicate by (source, id)."
)


def _message(event_type: str, contract: type[EventContract]) -> dict[str, Any]:
    summary = (contract.__doc__ or "").strip().splitlines()
    return {
        "name": event_type,
        "title": contract.__name__,
        "summary": summary[0] if summary else event_type,
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                "ce_type": {"const": event_type},
                "ce_source": {"const": f"/hope/{contract.service()}"},
                "ce_specversion": {"const": "1.0"},
                "ce_id": {"type": "string", "format": "uuid"},
                "ce_subject": {"type": "string"},
                "ce_time": {"type": "string", "format": "date-time"},
            },
        },
        "payload": contract.model_json_schema(),
    }


def _key(text: str) -> str:
    return text.replace(".", "_")


def service_document(service: str, consumed: Iterable[str] = ()) -> dict[str, Any]:
    """What ``service`` sends (every contract of its own) on its topic, and the event types it receives."""
    sent = {event_type: contract for event_type, contract in CATALOGUE.items() if contract.service() == service}
    received = {event_type: CATALOGUE[event_type] for event_type in consumed if event_type in CATALOGUE}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for action, events in (("send", sent), ("receive", received)):
        for event_type, contract in sorted(events.items()):
            name = _key(event_type)
            messages[name] = _message(event_type, contract)
            channel_id = _key(contract.topic())
            channel = channels.setdefault(channel_id, {"address": contract.topic(), "messages": {}})
            channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
            operation = operations.setdefault(
                f"{action}_{channel_id}",
                {"action": action, "channel": {"$ref": f"#/channels/{channel_id}"}, "messages": []},
            )
            operation["messages"].append({"$ref": f"#/channels/{channel_id}/messages/{name}"})
    return {
        "asyncapi": VERSION,
        "info": {"title": f"HOPE {service} events", "version": "1.0.0", "description": _DESCRIPTION},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def merge(documents: Mapping[str, dict[str, Any] | None]) -> dict[str, Any]:
    """The platform's catalogue from each service's document; a service without one (down, not built yet, or
    answering something that is not an AsyncAPI document) is named in ``x-hope-unavailable-services``."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    unavailable = []
    for service, document in sorted(documents.items()):
        if not (isinstance(document, dict) and str(document.get("asyncapi", "")).startswith("3.")):
            unavailable.append(service)
            continue
        messages.update(document.get("components", {}).get("messages", {}))
        for channel_id, channel in document.get("channels", {}).items():
            merged = channels.setdefault(channel_id, {"address": channel["address"], "messages": {}})
            merged["messages"].update(channel.get("messages", {}))
        for operation_id, operation in document.get("operations", {}).items():
            operations[f"{service}_{operation_id}"] = operation
    info: dict[str, Any] = {"title": "HOPE platform events", "version": "1.0.0", "description": _DESCRIPTION}
    if unavailable:
        info["x-hope-unavailable-services"] = unavailable
    return {
        "asyncapi": VERSION,
        "info": info,
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
