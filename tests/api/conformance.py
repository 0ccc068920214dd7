"""One schemathesis conformance check, made for each service: whatever a client sends, the service answers as
its OpenAPI document says (no 5xx, no status or content type the document does not give, no body outside its
schema). Each generated request is sent by the programme operator's administrator and by a writer of the
partner kind that the service mostly serves."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hope_contracts.vocabulary import OrgKind

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A bounded budget for the suite; HOPE_SCHEMATHESIS_EXAMPLES raises it for a deeper run.
EXAMPLES = int(os.environ.get("HOPE_SCHEMATHESIS_EXAMPLES", "15"))

Test = Callable[..., None]


def conformance_tests(
    name: str, create_app: Callable[[Any], FastAPI], settings_class: type[Any], writer: OrgKind
) -> tuple[Test, Test]:
    """The two tests of one service's module: the generated cases, then a check that they reached past
    authentication (it runs after them, being defined after them in the module)."""
    answers: Counter[tuple[str, int]] = Counter()
    # The document is the app's own, built without a database; the requests go to an app that has one.
    schema = schemathesis.openapi.from_dict(create_app(settings_class(database_url="sqlite+aiosqlite://")).openapi())

    @schema.parametrize()
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def test_the_service_answers_as_its_document_says(
        case: schemathesis.Case,
        service_app: Any,
        operator: dict[str, str],
        writer_of: Callable[[OrgKind], dict[str, str]],
    ) -> None:
        app = service_app(name, create_app, settings_class)
        for caller in (operator, writer_of(writer)):
            response = case.call_and_validate(headers=caller, checks=CHECKS, app=app)
            answers[(case.operation.label, response.status_code)] += 1

    def test_the_generated_requests_reach_past_authentication() -> None:
        """A run that met only 401s and 403s would prove little."""
        succeeded = {operation for operation, status in answers if status < 300 and " /v1/" in operation}
        assert len(succeeded) >= 4, sorted(answers.items())

    return test_the_service_answers_as_its_document_says, test_the_generated_requests_reach_past_authentication
