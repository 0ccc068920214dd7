"""Database plumbing shared by the services: engine, column types, the kit's own tables."""
