"""Enrolment domain: beneficiaries, consent, the pathway state machine and cohorts. No I/O here."""
