"""The HOPE API gateway: partner organisations, API clients, tokens, routing, limits and composition."""
