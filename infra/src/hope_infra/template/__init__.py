"""``hope new-service``: a new service in the shape of every other, registered wherever the platform lists them."""

from hope_infra.template.create import NewService, create_service

__all__ = ["NewService", "create_service"]
