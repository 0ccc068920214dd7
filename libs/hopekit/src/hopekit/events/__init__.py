"""The event pipeline: outbox rows, CloudEvents on Kafka, the relay and the consumer runner."""
