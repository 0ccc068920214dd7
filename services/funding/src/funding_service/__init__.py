"""HOPE funding: what this service owns."""
