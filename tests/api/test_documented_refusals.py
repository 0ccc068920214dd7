"""Requests the service refuses are invalid in its OpenAPI document too, so a generated client cannot send them."""

from __future__ import annotations

import uuid
from typing import Any

import jsonschema_rs
import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer, running
from training_service.main import create_app
from training_service.settings import TrainingSettings

COURSE = {
    "step": 3,
    "provider_org_id": str(uuid.uuid4()),
    "starts_on": "2026-03-02",
    "ends_on": "2026-09-30",
}
REFUSED_COURSES = {
    "for a cohort and a person": {**COURSE, "cohort_id": str(uuid.uuid4()), "beneficiary_id": str(uuid.uuid4())},
    "for nobody": COURSE,
    "with French support hours on step 3": {**COURSE, "cohort_id": str(uuid.uuid4()), "support_french_hours": "20"},
}


def course_schema(document: dict[str, Any]) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/CourseRequest", "components": document["components"]}
    )


@pytest.fixture(scope="module")
def training(service_app: Any) -> Any:
    return service_app("training", create_app, TrainingSettings)


@pytest.mark.parametrize("body", REFUSED_COURSES.values(), ids=REFUSED_COURSES.keys())
async def test_a_course_the_service_refuses_is_invalid_in_the_document(
    training: Any, issuer: TokenIssuer, body: dict[str, Any]
) -> None:
    app = training
    operator = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN)
    async with running(app) as http:
        answer = await http.post("/v1/courses", json=body, headers=operator)

    assert answer.status_code == 422, answer.text
    assert not course_schema(app.openapi()).is_valid(body)


def test_the_course_shapes_the_service_accepts_are_valid_in_the_document(training: Any) -> None:
    validator = course_schema(training.openapi())

    assert validator.is_valid({**COURSE, "cohort_id": str(uuid.uuid4())})
    assert validator.is_valid({**COURSE, "beneficiary_id": str(uuid.uuid4()), "cohort_id": None})
    assert validator.is_valid({**COURSE, "step": 4, "cohort_id": str(uuid.uuid4()), "support_french_hours": "20"})
