"""Entities, invariants and domain errors of support: no I/O, no framework."""
