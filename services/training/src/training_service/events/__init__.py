"""Outgoing contracts and handlers of incoming events."""
