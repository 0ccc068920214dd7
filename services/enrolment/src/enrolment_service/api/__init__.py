"""HTTP API of the enrolment service."""
