"""HOPE employment: employers, vacancies, work-study contracts, outcomes and follow-ups."""
