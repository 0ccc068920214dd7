"""Tables, repositories and the unit of work (no commits here)."""
