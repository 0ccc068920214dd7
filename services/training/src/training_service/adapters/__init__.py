"""Tables and repositories of the training service (no commits here)."""
