"""The gateway's organisation events name kinds from the one vocabulary the tokens use."""

from __future__ import annotations

import typing

from hope_contracts import gateway
from hope_contracts.vocabulary import OrgKind


def test_the_organisation_kinds_on_the_bus_are_exactly_the_token_vocabulary() -> None:
    assert set(typing.get_args(gateway.OrgKindCode)) == {kind.value for kind in OrgKind}


def test_organisation_events_are_keyed_by_the_organisation() -> None:
    registered = gateway.OrganisationRegistered(
        organisation_id="00000000-0000-0000-0000-000000000001",
        org_kind="training_provider",
        active=True,
        occurred_at="2026-01-01T00:00:00Z",
    )
    assert registered.partition_key() == str(registered.organisation_id)
    assert registered.topic() == "hope.gateway.events"
