"""Use cases of the gateway: organisations, API clients, tokens and signing keys."""
