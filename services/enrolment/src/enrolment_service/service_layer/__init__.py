"""Use cases of the enrolment service: they change state through a unit of work and never commit."""
