"""Enrolment's event plumbing: ``incoming`` lists the events it consumes."""
