"""HTTP routers, schemas and dependencies of the training service."""
