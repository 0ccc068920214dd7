"""HOPE reporting: read models built from every event, the programme's indicators, safe exports."""
