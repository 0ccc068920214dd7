"""Shared by every test folder: real servers for integration tests (see hope_infra.testing)."""

pytest_plugins = ["hope_infra.testing"]
