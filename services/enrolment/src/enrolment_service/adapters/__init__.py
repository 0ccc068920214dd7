"""Tables and repositories of the enrolment service (no commits here)."""
