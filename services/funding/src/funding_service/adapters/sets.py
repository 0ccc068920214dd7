"""A column among many values in one parameter on PostgreSQL (``= ANY(:values)``, the kit's
``hopekit.db.sets.among``, named here for the adapters); SQLite takes IN lists. (Many rows inserted or updated
at once: the kit's ``hopekit.db.upsert``, one array per column on PostgreSQL.)

An IN list of a sheet's 100 people or 200 accounts is 100 or 200 bound parameters that SQLAlchemy renders into the
statement and processes one by one on every execution. An array is one parameter, decoded by asyncpg in C, and the
statement is the same text whatever the number of values (PostgreSQL's prepared statement is reused too)."""

from __future__ import annotations

from hopekit.db.sets import among

__all__ = ["among"]
