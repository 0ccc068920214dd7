"""HTTP: one router per resource, its request and response schemas, per-request dependencies."""
