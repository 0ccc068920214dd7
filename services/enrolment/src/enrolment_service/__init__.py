"""HOPE enrolment service."""
