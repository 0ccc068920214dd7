"""Entities, invariants and domain errors of funding: no I/O, no framework."""
