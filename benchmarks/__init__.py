"""Benchmarks of the HOPE platform (``make bench``): real PostgreSQL, real Kafka, real processes."""
