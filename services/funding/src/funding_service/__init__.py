"""The funding service: funders, agreements, budget lines, financing plans, a double-entry ledger, claims."""
