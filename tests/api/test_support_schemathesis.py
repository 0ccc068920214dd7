"""Support answers as its OpenAPI document says, whatever a client sends: no 5xx, no status or content type the
document does not give, no body outside its schema. Each generated request is sent by the programme operator's
administrator and by a writer of a support provider."""

from __future__ import annotations

import base64
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hopekit.db.migrations import upgrade
from hopekit.identity.principal import OrgKind
from hopekit.testing import TokenIssuer, service_settings
from support_service.adapters.envelope import KeyEncryptionKey
from support_service.main import create_app
from support_service.settings import SupportSettings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("HOPE_SCHEMATHESIS_EXAMPLES", "15"))
ROOT = Path(__file__).resolve().parents[2]
answers: Counter[tuple[str, int]] = Counter()

schema = schemathesis.openapi.from_dict(create_app(SupportSettings(database_url="sqlite+aiosqlite://")).openapi())


@pytest.fixture(scope="module")
def support(tmp_path_factory: pytest.TempPathFactory, issuer: TokenIssuer) -> Any:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('support') / 'support.db'}"
    upgrade(ROOT / "services" / "support", url)
    kek = base64.b64encode(KeyEncryptionKey.generate()).decode()
    return create_app(service_settings(SupportSettings, url, issuer, kek=kek))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_support_answers_as_its_document_says(
    case: schemathesis.Case,
    support: Any,
    operator: dict[str, str],
    writer_of: Callable[[OrgKind], dict[str, str]],
) -> None:
    for caller in (operator, writer_of(OrgKind.SUPPORT_PROVIDER)):
        response = case.call_and_validate(headers=caller, checks=CHECKS, app=support)
        answers[(case.operation.label, response.status_code)] += 1


def test_the_generated_requests_reach_past_authentication() -> None:
    """Runs after the cases above (in this module): a run that met only 401s and 403s would prove little."""
    succeeded = {operation for operation, status in answers if status < 300 and " /v1/" in operation}
    assert len(succeeded) >= 4, sorted(answers.items())
