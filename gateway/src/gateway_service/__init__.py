"""HOPE API gateway."""
