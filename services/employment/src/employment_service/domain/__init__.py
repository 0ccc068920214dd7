"""Employment domain: employers, demand, work-study contracts, placements, exit outcomes, follow-ups. No I/O."""
