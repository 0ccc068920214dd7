"""Use cases: each one changes state and writes its events and audit rows in one unit of work; none commits."""
