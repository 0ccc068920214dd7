"""Shared service infrastructure of the HOPE platform."""
