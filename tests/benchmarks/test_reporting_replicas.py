"""The live path's replicas share the events as Kafka would share the partitions between two group members."""

import uuid

from benchmarks.reporting_replicas import PARTITIONS, partition_of, shares
from benchmarks.reporting_stream import history

from hope_infra.testing import received


def test_each_event_goes_to_the_replica_of_its_partition_once_and_in_order() -> None:
    events = [received(contract) for contract in history(10_000)]

    first, second = shares(events, replicas=2)

    assert sorted(event.id for event in [*first, *second]) == sorted(event.id for event in events)
    order = {event.id: index for index, event in enumerate(events)}
    for share in (first, second):
        assert [order[event.id] for event in share] == sorted(order[event.id] for event in share)
    assert {event.partition for event in first} == {0, 1, 2}
    assert {event.partition for event in second} == {3, 4, 5}
    assert all(event.partition == partition_of(event.key) for event in [*first, *second])
    # A topic's events keep their key's partition: a person's events stay in one replica, in their order.
    assert len({partition_of(event.key) for event in events if event.key == events[0].key}) == 1
    assert 0.3 < len(first) / len(events) < 0.7  # keys spread (a course's sessions share its key)


def test_keys_spread_over_every_partition() -> None:
    assert {partition_of(str(uuid.uuid4())) for _ in range(500)} == set(range(PARTITIONS))
