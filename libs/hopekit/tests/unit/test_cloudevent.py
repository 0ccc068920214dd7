"""CloudEvents binary mode: what the relay writes, the consumer reads back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from hopekit.events import cloudevent


def test_encode_then_decode_keeps_every_attribute() -> None:
    event_id = uuid.uuid4()
    time = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    key, value, headers = cloudevent.encode(
        event_id=event_id,
        source="/hope/enrolment",
        type_="fr.hope.enrolment.beneficiary.registered.v1",
        subject="b-1",
        time=time,
        key="b-1",
        payload=b'{"beneficiary_id": "b-1"}',
    )
    names = dict(headers)
    assert names["ce_specversion"] == b"1.0"
    assert names["ce_time"] == b"2026-11-26T09:30:00Z"
    assert names["content-type"] == b"application/json"

    event = cloudevent.decode(topic="t", partition=0, offset=7, key=key, value=value, headers=headers)
    assert (event.id, event.source, event.subject, event.key) == (str(event_id), "/hope/enrolment", "b-1", "b-1")
    assert event.time == time
    assert event.data == {"beneficiary_id": "b-1"}


@pytest.mark.parametrize(
    ("value", "headers"),
    [
        (b"{}", []),
        (
            b"[1, 2]",
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"1"),
                ("ce_source", b"/s"),
                ("ce_type", b"t"),
                ("content-type", b"application/json"),
            ],
        ),
        (b"\xff\xfe", [("ce_specversion", b"1.0"), ("ce_id", b"1"), ("ce_source", b"/s"), ("ce_type", b"t")]),
    ],
)
def test_malformed_records_are_reported_as_such(value: bytes, headers: list[tuple[str, bytes]]) -> None:
    with pytest.raises(cloudevent.MalformedEvent):
        cloudevent.decode(topic="t", partition=0, offset=0, key=None, value=value, headers=headers)
