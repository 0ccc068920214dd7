"""``hope-kafka``: provision the local Kafka, or run it in the foreground with the platform topics."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from hope_infra.kafka.provision import ProvisionError, default_cache_dir, ensure_distribution
from hope_infra.kafka.server import KafkaStartError, LocalKafka
from hope_infra.kafka.topics import PLATFORM_TOPICS, TopicCreationError, ensure_topics


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "provision":
            distribution = ensure_distribution(args.cache_dir)
            print(f"kafka distribution at {distribution.home}", flush=True)
            return 0
        return _start(args)
    except (ProvisionError, KafkaStartError, TopicCreationError) as error:
        print(f"hope-kafka: {error}", file=sys.stderr, flush=True)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hope-kafka", description="Provision the local Kafka, or run it in the foreground."
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default_cache_dir(),
        help="where the Kafka distribution is cached (default: $HOPE_KAFKA_CACHE or ~/.cache/hope/kafka)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("provision", help="download and prepare the Kafka distribution, then exit")
    start = commands.add_parser("start", help="run ZooKeeper and one broker in the foreground")
    start.add_argument("--port", type=int, default=9092, help="broker port on 127.0.0.1 (default: 9092)")
    start.add_argument("--zk-port", type=int, default=2181, help="ZooKeeper port (default: 2181)")
    start.add_argument("--data-dir", type=Path, default=Path("var/kafka"), help="logs and data (default: var/kafka)")
    return parser


def _start(args: argparse.Namespace) -> int:
    kafka: LocalKafka | None = None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Both unwind like Ctrl-C so the ``finally`` below stops the JVMs; SIGINT is set explicitly because
    # a shell starts background jobs with it ignored.
    for sig in previous:
        signal.signal(sig, _interrupt)
    try:
        distribution = ensure_distribution(args.cache_dir)
        kafka = LocalKafka(args.data_dir, port=args.port, zk_port=args.zk_port, distribution=distribution)
        started = time.monotonic()
        kafka.start()
        asyncio.run(ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS))
        elapsed = time.monotonic() - started
        print(f"hope-kafka: up in {elapsed:.1f} s, logs in {kafka.data_dir}", file=sys.stderr, flush=True)
        print(f"kafka ready on {kafka.bootstrap_servers}", flush=True)
        while kafka.running():
            time.sleep(0.5)
        print(f"hope-kafka: a JVM exited; see the logs in {kafka.data_dir}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # A second Ctrl-C must not interrupt the orderly shutdown; stop() has its own kill timeout.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        if kafka is not None:
            kafka.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


if __name__ == "__main__":
    sys.exit(main())
