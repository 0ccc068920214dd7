"""Outgoing event contracts of the enrolment service and their mapping from domain events."""
