"""Funding domain: agreements, budget lines, financing plans, the ledger, consumption and claims. No I/O here."""
