"""The platform's services as the runner starts them: name, port and app factory."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServiceProcess:
    name: str
    port: int
    package: str
    has_migrations: bool = True
    # uvicorn's --http: the gateway relays whole answers and sends each head with its body
    # (gateway_service.routing.coalescing).
    http_protocol: str | None = None

    @property
    def factory(self) -> str:
        return f"{self.package}.main:create_app"

    @property
    def uvicorn_options(self) -> list[str]:
        """What uvicorn is told besides the app, host and port, wherever the service is started."""
        # No "server: uvicorn" on any answer: a caller has no need to know what serves it, an attacker has.
        return ["--no-server-header", *(["--http", self.http_protocol] if self.http_protocol else [])]

    @property
    def env_prefix(self) -> str:
        return f"HOPE_{self.name.upper()}_"

    def root(self) -> Path:
        """The service's folder (holding alembic.ini): the package lives in <root>/src/<package>."""
        module = importlib.import_module(self.package)
        assert module.__file__ is not None
        return Path(module.__file__).resolve().parents[2]


GATEWAY_PORT = 8000

# The gateway first: the services fetch its signing keys.
SERVICES: tuple[ServiceProcess, ...] = (
    ServiceProcess(
        "gateway",
        GATEWAY_PORT,
        "gateway_service",
        http_protocol="gateway_service.routing.coalescing:CoalescingHttpProtocol",
    ),
    ServiceProcess("enrolment", 8101, "enrolment_service"),
    ServiceProcess("training", 8102, "training_service"),
)
