"""Entities, invariants and domain errors of reporting: no I/O, no framework."""
