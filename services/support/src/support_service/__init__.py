"""HOPE support: support files, needs, notes (medical ones encrypted per person), housing and catering."""
