"""Training domain: courses, attendance, the hours ledger, alerts, assessments and qualifications (no I/O)."""
