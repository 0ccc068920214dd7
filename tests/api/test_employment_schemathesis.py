"""Employment answers as its OpenAPI document says, whatever a client sends: no 5xx, no status or content type
the document does not give, no body outside its schema. Each generated request is sent by the programme
operator's administrator and by a writer of an employer and of a support provider."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
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

from employment_service.main import create_app
from employment_service.settings import EmploymentSettings
from hopekit.identity.principal import OrgKind

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A bounded budget for the suite; HOPE_SCHEMATHESIS_EXAMPLES raises it for a deeper run.
EXAMPLES = int(os.environ.get("HOPE_SCHEMATHESIS_EXAMPLES", "15"))
# Every answer's status, per operation, for the last test.
answers: Counter[tuple[str, int]] = Counter()


# The document is the app's own, built without a database; the requests go to an app that has one.
schema = schemathesis.openapi.from_dict(create_app(EmploymentSettings(database_url="sqlite+aiosqlite://")).openapi())


@pytest.fixture(scope="module")
def employment(service_app: Any) -> Any:
    return service_app("employment", create_app, EmploymentSettings)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_employment_answers_as_its_document_says(
    case: schemathesis.Case,
    employment: Any,
    operator: dict[str, str],
    writer_of: Callable[[OrgKind], dict[str, str]],
) -> None:
    for caller in (operator, writer_of(OrgKind.EMPLOYER), writer_of(OrgKind.SUPPORT_PROVIDER)):
        response = case.call_and_validate(headers=caller, checks=CHECKS, app=employment)
        answers[(case.operation.label, response.status_code)] += 1


def test_the_generated_requests_reach_past_authentication() -> None:
    """Runs after the cases above (in this module): a run that met only 401s and 403s would prove little."""
    succeeded = {operation for operation, status in answers if status < 300 and " /v1/" in operation}
    assert len(succeeded) >= 4, sorted(answers.items())
