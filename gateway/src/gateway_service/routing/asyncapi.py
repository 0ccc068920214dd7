"""GET /asyncapi: the platform's event catalogue (topics, CloudEvents types, payload schemas) as AsyncAPI 3."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from hope_contracts import CATALOGUE

router = APIRouter(tags=["events"])


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event_type, contract in sorted(CATALOGUE.items()):
        topic = contract.topic()
        name = event_type.replace(".", "_")
        messages[name] = {
            "name": event_type,
            "title": contract.__name__,
            "summary": (contract.__doc__ or "").strip().splitlines()[0] if contract.__doc__ else event_type,
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
        channel = channels.setdefault(topic.replace(".", "_"), {"address": topic, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    for channel_id in channels:
        operations[f"receive_{channel_id}"] = {"action": "receive", "channel": {"$ref": f"#/channels/{channel_id}"}}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "HOPE platform events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode; the Kafka key is the beneficiary id when "
            "the event is about one person. Delivery is at least once: deduplicate by (source, id).",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


@router.get("/asyncapi", summary="The event catalogue (AsyncAPI 3.0)")
async def asyncapi() -> dict[str, Any]:
    return asyncapi_document()
