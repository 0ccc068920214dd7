"""``python -m benchmarks [section ...]``: runs the sections and prints one table."""

from __future__ import annotations

import argparse
import asyncio
import sys

from benchmarks import (
    employment_follow_ups,
    enrolment_latency,
    funding_ledger,
    gateway_overhead,
    outcome_completion,
    relay_throughput,
    reporting_ingest,
    request_cost,
    support_latency,
    training_import,
    training_ledger,
)
from benchmarks.environment import bench_environment
from benchmarks.report import Report

SECTIONS = {
    "relay": relay_throughput.run,
    "registration": enrolment_latency.run,
    "gateway": gateway_overhead.run,
    "request_cost": request_cost.run,
    "training_import": training_import.run,
    "training_ledger": training_ledger.run,
    "funding_ledger": funding_ledger.run,
    "employment_follow_ups": employment_follow_ups.run,
    "employment_outcome_completion": outcome_completion.run,
    "support": support_latency.run,
    "reporting_ingest": reporting_ingest.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks")
    parser.add_argument("sections", nargs="*", help=f"any of {', '.join(SECTIONS)} (default: all)")
    args = parser.parse_args()
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    report = Report()
    with bench_environment() as environment:
        for name in args.sections or SECTIONS:
            asyncio.run(SECTIONS[name](environment, report))
    report.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
