"""Local Apache Kafka for development and tests: provisioning, a ZooKeeper-plus-broker runner, topics."""

from hope_infra.kafka.provision import KafkaDistribution, ProvisionError, ensure_distribution
from hope_infra.kafka.server import KafkaStartError, LocalKafka, PortInUseError, find_free_port
from hope_infra.kafka.topics import PLATFORM_TOPICS, TopicCreationError, ensure_topics

__all__ = [
    "PLATFORM_TOPICS",
    "KafkaDistribution",
    "KafkaStartError",
    "LocalKafka",
    "PortInUseError",
    "ProvisionError",
    "TopicCreationError",
    "ensure_distribution",
    "ensure_topics",
    "find_free_port",
]
