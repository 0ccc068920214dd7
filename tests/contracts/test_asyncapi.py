"""Each service's AsyncAPI document says what it sends and what it receives; the gateway's catalogue is their
merge, and names the services that gave none."""

from __future__ import annotations

from typing import Any

import pytest

from hope_contracts import CATALOGUE, registry
from hope_contracts.asyncapi import merge, service_document
from training_service.events.incoming import CONSUMERS as TRAINING_CONSUMERS

TRAINING_RECEIVES = [event_type for spec in TRAINING_CONSUMERS for event_type in spec.handlers]
# Training receives enrolment's events and, like every service with the partner projection, the gateway's.
FROM_ENROLMENT = {event_type for event_type in TRAINING_RECEIVES if event_type.startswith("fr.hope.enrolment.")}
FROM_GATEWAY = {event_type for event_type in TRAINING_RECEIVES if event_type.startswith("fr.hope.gateway.")}


def _of(service: str) -> set[str]:
    return {event_type for event_type, contract in CATALOGUE.items() if contract.service() == service}


def _names(document: dict[str, Any]) -> set[str]:
    return {message["name"] for message in document["components"]["messages"].values()}


def _operation_messages(document: dict[str, Any], operation_id: str) -> set[str]:
    operation = document["operations"][operation_id]
    return {ref["$ref"].rsplit("/", 1)[1] for ref in operation["messages"]}


PUBLISHING = [service for service in registry.built() if service.publishes]


@pytest.mark.parametrize("service", PUBLISHING, ids=lambda service: service.name)
def test_every_publishing_service_of_the_registry_has_contracts_and_sends_them_on_its_topic(
    service: registry.Service,
) -> None:
    assert _of(service.name), f"{service.name} publishes: its contracts belong in hope_contracts.{service.name}"
    document = service_document(service.name)
    assert _names(document) == _of(service.name)
    assert {channel["address"] for channel in document["channels"].values()} == {service.topic}


def test_a_service_sends_every_contract_of_its_own_on_its_topic() -> None:
    document = service_document("enrolment")
    assert document["asyncapi"] == "3.0.0"
    assert _names(document) == _of("enrolment")
    assert {channel["address"] for channel in document["channels"].values()} == {"hope.enrolment.events"}
    assert list(document["operations"]) == ["send_hope_enrolment_events"]
    assert _operation_messages(document, "send_hope_enrolment_events") == {
        name.replace(".", "_") for name in _of("enrolment")
    }
    for message in document["components"]["messages"].values():
        assert message["payload"]["type"] == "object"
        assert message["headers"]["properties"]["ce_source"] == {"const": "/hope/enrolment"}


def test_training_receives_the_enrolment_events_it_handles() -> None:
    assert TRAINING_RECEIVES, "training consumes enrolment events"
    assert set(TRAINING_RECEIVES) <= set(CATALOGUE), "every handled type is a published contract"
    document = service_document("training", TRAINING_RECEIVES)
    assert _names(document) == _of("training") | set(TRAINING_RECEIVES)
    assert _operation_messages(document, "receive_hope_enrolment_events") == {
        name.replace(".", "_") for name in FROM_ENROLMENT
    }
    assert _of("gateway") == FROM_GATEWAY, "training keeps the partner projection: every organisation event"
    assert _operation_messages(document, "receive_hope_gateway_events") == {
        name.replace(".", "_") for name in FROM_GATEWAY
    }
    assert document["operations"]["receive_hope_enrolment_events"]["action"] == "receive"
    assert _operation_messages(document, "send_hope_training_events") == {
        name.replace(".", "_") for name in _of("training")
    }


def test_the_catalogue_merges_the_services_and_names_those_without_a_document() -> None:
    catalogue = merge(
        {
            "enrolment": service_document("enrolment"),
            "training": service_document("training", TRAINING_RECEIVES),
            "support": None,
            "stub": {"path": "/asyncapi"},
        }
    )
    assert _names(catalogue) == _of("enrolment") | _of("training") | _of("gateway")
    addresses = {channel["address"] for channel in catalogue["channels"].values()}
    assert addresses == {"hope.enrolment.events", "hope.training.events", "hope.gateway.events"}
    assert set(catalogue["operations"]) == {
        "enrolment_send_hope_enrolment_events",
        "training_send_hope_training_events",
        "training_receive_hope_enrolment_events",
        "training_receive_hope_gateway_events",
    }
    assert catalogue["info"]["x-hope-unavailable-services"] == ["stub", "support"]
    refs = {ref["$ref"] for channel in catalogue["channels"].values() for ref in channel["messages"].values()}
    assert refs == {f"#/components/messages/{name}" for name in catalogue["components"]["messages"]}
