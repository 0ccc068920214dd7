"""Local infrastructure for the HOPE platform."""
