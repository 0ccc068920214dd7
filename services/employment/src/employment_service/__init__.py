"""The employment service: employers, vacancies, work-study contracts, placements, exit outcomes, follow-ups."""
