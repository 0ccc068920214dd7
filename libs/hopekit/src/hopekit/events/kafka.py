"""Kafka clients configured the way the platform needs them."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

DLQ_TOPIC = "hope.dlq"


def make_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    # Idempotence (with acks=all) keeps per-partition order through the producer's own retries.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        max_batch_size=256 * 1024,
        request_timeout_ms=15_000,
    )
