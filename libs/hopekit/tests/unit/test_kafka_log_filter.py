"""aiokafka during a broker outage: two WARNING lines instead of a storm, and no line repeated faster than 1/10 s."""

from __future__ import annotations

import logging

import pytest

from hopekit.logfilters import KafkaLogFilter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def aiokafka_record(
    message: str, *args: object, level: int = logging.ERROR, name: str = "aiokafka.client"
) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def test_an_outage_logs_one_warning_when_it_starts_and_one_with_the_count_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    kafka_filter = KafkaLogFilter(clock=clock, quiet_s=15, watch=False)
    passed = []
    for attempt in range(1000):
        clock.now += 0.05
        record = aiokafka_record("Unable connect to node with id %s: %s", 0, "refused")
        if attempt % 2:
            record = aiokafka_record("Unable to update metadata from %s", [0])
        if attempt % 7 == 3:
            record = aiokafka_record("Marking the coordinator dead (node %s)for group %s.", 0, "g", level=30)
        if kafka_filter.filter(record):
            passed.append(record)

    assert len(passed) == 1
    assert passed[0].levelno == logging.WARNING
    assert passed[0].getMessage().startswith("Kafka connection trouble started: Unable connect to node with id 0")
    assert not kafka_filter.end_quiet_episode()  # not quiet long enough yet

    clock.now += 16
    with caplog.at_level(logging.WARNING, logger="hopekit.kafka"):
        assert kafka_filter.end_quiet_episode()
    (ended,) = caplog.records
    assert ended.levelno == logging.WARNING
    assert "ended: 1000 connection errors" in ended.getMessage()
    assert "999 of them not logged" in ended.getMessage()

    clock.now += 1
    assert kafka_filter.filter(aiokafka_record("Unable to update metadata from %s", [0]))  # a new outage starts


def test_any_other_aiokafka_line_is_written_at_most_once_per_interval_with_a_count_of_the_held_back() -> None:
    clock = Clock()
    kafka_filter = KafkaLogFilter(clock=clock, interval_s=10, watch=False)
    written = []
    for _ in range(100):  # 100 lines over 20 s
        clock.now += 0.2
        record = aiokafka_record("Produce response on topic-partition %s: %s, retrying", "t-0", "NotLeader", level=30)
        if kafka_filter.filter(record):
            written.append(record.getMessage())

    assert len(written) == 2
    assert written[0] == "Produce response on topic-partition t-0: NotLeader, retrying"
    assert written[1].endswith("(49 like it not logged since the last one)")


def test_the_services_own_lines_are_never_held_back() -> None:
    kafka_filter = KafkaLogFilter(clock=Clock(), watch=False)

    assert all(
        kafka_filter.filter(aiokafka_record("GET /v1/things %s", 200, level=logging.INFO, name="hopekit.access"))
        for _ in range(50)
    )
