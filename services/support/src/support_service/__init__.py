"""HOPE support: what this service owns."""
