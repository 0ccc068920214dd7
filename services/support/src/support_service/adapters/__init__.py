"""Infrastructure: persistence mapping and the envelope encryption of health data."""
