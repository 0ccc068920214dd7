"""HTTP plumbing every service shares: problems, request context, security, pagination, idempotency."""
