"""Routing to the services: header hygiene, rate limits, the streaming proxy and composed reads."""
