"""HOPE training service."""
