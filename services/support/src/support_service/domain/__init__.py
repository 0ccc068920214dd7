"""Support domain: files, needs, referrals, notes and who may read them, housing, catering. No I/O here."""
