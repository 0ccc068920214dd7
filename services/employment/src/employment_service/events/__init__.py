"""Outgoing contracts and, once the service is wired, handlers for incoming events."""
