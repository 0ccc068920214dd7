"""The gateway answers as its merged OpenAPI document says: its own API and every service's through it.

The gateway, enrolment and training run on real ports (each on a SQLite database, no Kafka), in one event loop
on a thread of their own, since schemathesis calls them synchronously from the test's thread. The services trust
the gateway's keys through its JWKS, as in production; the tokens are the gateway's own, asked for with client
credentials: the programme operator's first administrator, and a training provider's writer.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from enrolment_service.main import create_app as create_enrolment
from enrolment_service.settings import EnrolmentSettings
from gateway_service.cli import create_first_admin
from gateway_service.domain.scopes import vocabulary
from gateway_service.main import create_app as create_gateway
from gateway_service.settings import DEFAULT_UPSTREAMS, GatewaySettings
from hope_infra.kafka.server import find_free_port
from hope_infra.services import SERVICES
from hopekit.db.migrations import upgrade
from hopekit.identity.principal import OrgKind, Role
from training_service.main import create_app as create_training
from training_service.settings import TrainingSettings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ISSUER = "https://gateway.hope.test"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A bounded budget for the suite; HOPE_SCHEMATHESIS_EXAMPLES raises it for a deeper run.
EXAMPLES = int(os.environ.get("HOPE_SCHEMATHESIS_EXAMPLES", "6"))


@dataclass
class Running:
    url: str
    callers: list[dict[str, str]]


async def _serve(app: Any, port: int, http: str, stop: asyncio.Event) -> None:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", http=http)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await stop.wait()
    server.should_exit = True
    await task


def _database(tmp: Path, name: str, migrations: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp / (name + '.db')}"
    upgrade(migrations, url)
    return url


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("platform")
    gateway_port, enrolment_port, training_port, dead_port = (find_free_port() for _ in range(4))
    jwks = f"http://127.0.0.1:{gateway_port}/.well-known/jwks.json"
    common: dict[str, Any] = {"jwt_issuer": ISSUER, "environment": "test", "log_json": False}
    settings_ = GatewaySettings(
        database_url=_database(tmp, "gateway", ROOT / "gateway"),
        port=gateway_port,
        # The services this installation does not run answer nowhere (not on their default ports, where
        # something else may listen on a shared machine).
        upstreams={
            **{name: f"http://127.0.0.1:{dead_port}" for name in DEFAULT_UPSTREAMS},
            "enrolment": f"http://127.0.0.1:{enrolment_port}",
            "training": f"http://127.0.0.1:{training_port}",
        },
        # The limits have their own tests; here they would only turn generated cases into 429s.
        rate_limits={"admin": 1_000_000, "writer": 1_000_000},
        token_attempts_per_client=1_000_000,
        token_attempts_per_address=1_000_000,
        # The gateway and both services share this test's one event loop, and each service builds its OpenAPI
        # document on its first call: at a load of 8 to 10 the two together outlasted the default 3 s, and the
        # merged document named them unavailable.
        docs_timeout_s=30,
        **common,
    )
    apps = [
        (create_gateway(settings_), gateway_port, next(s for s in SERVICES if s.name == "gateway").http_protocol),
        (
            create_enrolment(
                EnrolmentSettings(
                    database_url=_database(tmp, "enrolment", ROOT / "services" / "enrolment"), jwks_url=jwks, **common
                )
            ),
            enrolment_port,
            None,
        ),
        (
            create_training(
                TrainingSettings(
                    database_url=_database(tmp, "training", ROOT / "services" / "training"), jwks_url=jwks, **common
                )
            ),
            training_port,
            None,
        ),
    ]
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    admin: dict[str, str] = {}

    async def main() -> None:
        servers = [asyncio.create_task(_serve(app, port, http or "auto", stop)) for app, port, http in apps]
        gateway_app = apps[0][0]
        while not hasattr(gateway_app.state, "key_ring"):
            await asyncio.sleep(0.05)
        issued = await create_first_admin(
            gateway_app.state.uow_factory, "AKTO", "schemathesis", vocabulary(settings_.upstreams)
        )
        admin.update(client_id=issued.client.client_id, client_secret=issued.secret)
        started.set()
        await asyncio.gather(*servers)

    started = threading.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(60), "the platform did not start"
    url = f"http://127.0.0.1:{gateway_port}"
    try:
        with httpx.Client(base_url=url, timeout=20) as http:

            def token(client_id: str, client_secret: str) -> dict[str, str]:
                form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
                answer = http.post("/oauth/token", data=form)
                assert answer.status_code == 200, answer.text
                return {"Authorization": f"Bearer {answer.json()['access_token']}"}

            operator = token(admin["client_id"], admin["client_secret"])
            org = http.post(
                "/admin/v1/organisations",
                json={"name": "provider", "org_kind": OrgKind.TRAINING_PROVIDER},
                headers=operator,
            )
            assert org.status_code == 201, org.text
            client = http.post(
                f"/admin/v1/organisations/{org.json()['id']}/clients",
                json={"name": "provider-is", "roles": [Role.WRITER], "scopes": sorted(vocabulary(settings_.upstreams))},
                headers=operator,
            )
            assert client.status_code == 201, client.text
            writer = token(client.json()["client_id"], client.json()["client_secret"])
        yield Running(url=url, callers=[operator, writer])
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(60)


def test_the_gateway_answers_as_its_merged_document_says(gateway: Running) -> None:
    schema = schemathesis.openapi.from_url(gateway.url + "/openapi.json")
    assert "x-hope-unavailable-services" not in schema.raw_schema["info"] or set(
        schema.raw_schema["info"]["x-hope-unavailable-services"]
    ).isdisjoint({"enrolment", "training"})
    answers: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    for found in schema.get_all_operations():
        operation = found.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                for caller in gateway.callers:
                    response = case.call_and_validate(base_url=gateway.url, headers=caller, checks=CHECKS)
                    answers[(case.operation.label, response.status_code)] += 1

            try:
                run()
            except Unsatisfiable:
                # No negative case exists for an operation without parameters or body (GET /health/live).
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as error:  # every operation's failures, not only the first one's
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
    proxied = {label for label, status in answers if status < 300 and " /api/" in label}
    assert len(proxied) >= 4, sorted(answers.items())
