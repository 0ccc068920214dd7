"""Entities, invariants and domain errors of employment: no I/O, no framework."""
